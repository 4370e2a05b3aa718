/**
 * One diagnostics archive (tar.gz) in the state folder's diagnostics/: what a person attaches to a bug
 * report. Every file in it is text Berth writes here and passes through redact(): nothing is copied
 * from the state folder as it is, so a key or a password there cannot slip in with it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { createTar, type TarEntry } from '../../engine/archive/index.js';
import { redact, type Secret } from './redaction.js';

const gzipAsync = promisify(gzip);

export interface DiagnosticsSources {
  stateDir: string;
  /** The app's recent log lines. */
  appLog(): string[];
  /** The VM console logs to include (their last lines), by name in the archive. */
  consoleLogs(): Record<string, string>;
  /** The engine's /info and /version, and its recent events; null when Berth has no engine connection. */
  engine: {
    info(): Promise<unknown>;
    version(): Promise<unknown>;
    recentEvents(): unknown[];
  } | null;
  settings(): unknown;
  /** The machine's status with its failure details, when it failed. */
  machineStatus(): unknown;
  versions(): Promise<Record<string, string | null>>;
  /** Every value that must not appear in the archive. */
  secrets(): Promise<Secret[]>;
}

export interface DiagnosticsResult {
  path: string;
  bytes: number;
}

const CONSOLE_TAIL_BYTES = 256 * 1024;
const ENGINE_CALL_MS = 5_000;

/** A file's last `bytes` bytes, from a line start; empty when it cannot be read. */
export function fileTail(file: string, bytes = CONSOLE_TAIL_BYTES): string {
  try {
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r');
    try {
      const length = Math.min(size, bytes);
      const buffer = Buffer.alloc(length);
      fs.readSync(fd, buffer, 0, length, size - length);
      const text = buffer.toString('utf8');
      return size > bytes ? text.slice(text.indexOf('\n') + 1) : text;
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    return `(not readable: ${(error as Error).message})\n`;
  }
}

async function answer(call: () => Promise<unknown>): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ENGINE_CALL_MS / 1000} s`)), ENGINE_CALL_MS);
  });
  try {
    return await Promise.race([call(), timeout]);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** API calls that failed, as the api-logger wrote them (`[api] peer name args -> code: message`). */
export function failedApiCalls(log: readonly string[]): string[] {
  return log.filter((line) => line.includes('[api]') && (/ -> (?!ok\b)/.test(line) || line.includes('refused:'))).slice(-100);
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export async function writeDiagnostics(sources: DiagnosticsSources, now = new Date()): Promise<DiagnosticsResult> {
  const name = `berth-diagnostics-${stamp(now)}`;
  const appLog = sources.appLog();
  const engine = sources.engine;
  const [info, version, versions, secrets] = await Promise.all([
    engine ? answer(() => engine.info()) : null,
    engine ? answer(() => engine.version()) : null,
    sources.versions(),
    sources.secrets(),
  ]);
  const files: Record<string, string> = {
    'app.log': appLog.length > 0 ? `${appLog.join('\n')}\n` : '(nothing logged since Berth started)\n',
    'engine-info.json': json(info ?? 'No engine connection.'),
    'engine-version.json': json(version ?? 'No engine connection.'),
    'engine-events.json': json(engine?.recentEvents() ?? []),
    'settings.json': json(sources.settings()),
    'versions.json': json({ ...versions, docker: (version as { Version?: string } | null)?.Version ?? null }),
    'failures.json': json({ machine: sources.machineStatus(), failedApiCalls: failedApiCalls(appLog) }),
  };
  for (const [file, text] of Object.entries(sources.consoleLogs())) files[file] = text;

  const entries: TarEntry[] = [{ path: name, mode: 0o755 }];
  for (const [file, text] of Object.entries(files)) {
    entries.push({ path: `${name}/${file}`, content: Buffer.from(redact(text, secrets)), mode: 0o644 });
  }
  // Compressed on the thread pool: the API fuzzer saw gzipSync hold every other call up while it ran.
  const archive = await gzipAsync(createTar(entries));
  const folder = path.join(sources.stateDir, 'diagnostics');
  await fs.promises.mkdir(folder, { recursive: true, mode: 0o700 });
  const file = path.join(folder, `${name}.tar.gz`);
  await fs.promises.writeFile(file, archive, { mode: 0o600 });
  return { path: file, bytes: archive.length };
}
