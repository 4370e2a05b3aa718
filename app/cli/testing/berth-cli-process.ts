/** The real `berth` command (bin/berth.js) and a real browser-mode Berth, each as its own process, on a given state folder. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { readBerthUrl } from '../../launcher/testing/berth-url.js';

const repoRoot = join(import.meta.dirname, '../../..');

/** The environment that puts Berth's state folder under `stateHome` (berthStateDir reads XDG_STATE_HOME). */
export function stateEnv(stateHome: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_STATE_HOME: stateHome };
  // No desktop: `berth open` prints its link instead of starting a browser.
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  return env;
}

export interface BerthCliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runBerthCli(stateHome: string, args: readonly string[], timeoutMs = 120_000): Promise<BerthCliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'bin/berth.js'), ...args],
      { env: stateEnv(stateHome), timeout: timeoutMs },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export interface BrowserModeBerth {
  readonly child: ChildProcess;
  readonly url: string;
  stop(): Promise<void>;
}

/** A browser-mode Berth (the launcher from source) over `engine`, on the state folder under `stateHome`. */
export function spawnBrowserModeBerth(stateHome: string, engine: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'app/launcher/main.ts', '--web', '--engine', engine], {
    cwd: repoRoot,
    env: stateEnv(stateHome),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export async function startBrowserModeBerth(stateHome: string, engine: string): Promise<BrowserModeBerth> {
  const child = spawnBrowserModeBerth(stateHome, engine);
  child.stderr!.resume();
  const url = await readBerthUrl(child, 60_000);
  return {
    child,
    url,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Output and exit code of a process that is expected to end by itself. */
export function outcomeOf(child: ChildProcess): Promise<{ code: number | null; output: string }> {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}
