/**
 * Test images built locally (no registry is reachable): a root filesystem of Debian's busybox-static,
 * imported with `docker import`. One with a shell, one without any (a single static binary).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, copyFileSync, symlinkSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BUSYBOX = '/bin/busybox';

export const BUSYBOX_IMAGE = 'berth-test/busybox:latest';
/** No /bin/sh, no /bin/bash: only /busybox, so "Open terminal" must say there is no shell. */
export const NO_SHELL_IMAGE = 'berth-test/no-shell:latest';

/**
 * The docker CLI, pointed at a given engine. tlsDir (ca.pem, cert.pem, key.pem) is for an engine that
 * wants mutual TLS, such as Berth's VM.
 */
export async function dockerCli(
  dockerHost: string,
  args: string[],
  input?: string | Buffer,
  options: { tlsDir?: string } = {},
): Promise<string> {
  const dir = options.tlsDir;
  const tls = dir ? ['--tlsverify', `--tlscacert=${dir}/ca.pem`, `--tlscert=${dir}/cert.pem`, `--tlskey=${dir}/key.pem`] : [];
  return new Promise((resolve, reject) => {
    const child = spawn('docker', [...tls, '-H', dockerHost, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.stdin.on('error', () => undefined); // EPIPE when the command exits before reading its (empty) input
    child.on('close', (code) =>
      code === 0 ? resolve(stdout.trim()) : reject(new Error(`docker ${args.join(' ')} failed (${code}): ${stderr.trim()}`)),
    );
    child.stdin.end(input ?? '');
  });
}

async function importRoot(dockerHost: string, root: string, tag: string, cmd: string[]): Promise<void> {
  const tar = spawn('tar', ['-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const importer = spawn('docker', ['-H', dockerHost, 'import', '--change', `CMD ${JSON.stringify(cmd)}`, '-', tag], {
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  tar.stdout.pipe(importer.stdin);
  let stderr = '';
  importer.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) =>
    importer.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`docker import ${tag}: ${stderr}`)))),
  );
}

export async function buildTestImages(dockerHost: string): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'berth-images-'));
  try {
    const withShell = join(work, 'busybox');
    mkdirSync(join(withShell, 'bin'), { recursive: true });
    mkdirSync(join(withShell, 'tmp'));
    chmodSync(join(withShell, 'tmp'), 0o1777);
    copyFileSync(BUSYBOX, join(withShell, 'bin', 'busybox'));
    const { stdout } = await run(BUSYBOX, ['--list']);
    for (const applet of stdout.split('\n').filter((name) => name && name !== 'busybox')) {
      symlinkSync('busybox', join(withShell, 'bin', applet));
    }
    await importRoot(dockerHost, withShell, BUSYBOX_IMAGE, ['/bin/sh']);

    const noShell = join(work, 'no-shell');
    mkdirSync(noShell);
    copyFileSync(BUSYBOX, join(noShell, 'busybox'));
    await importRoot(dockerHost, noShell, NO_SHELL_IMAGE, ['/busybox', 'sleep', '3600']);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
