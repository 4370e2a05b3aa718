/**
 * Test images built locally (no registry is reachable): a root filesystem of Debian's busybox-static,
 * imported with `docker import`. One with a shell, one without any (a single static binary).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, copyFileSync, symlinkSync, rmSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
    // The classic builder whatever CLI plugins this user has: Berth puts buildx into ~/.docker/cli-plugins
    // when its VM boots, and through it the CLI builds with BuildKit, whose cache changes what the
    // engine reports (a cancelled-pull test compares `docker system df` before and after).
    const env = { ...process.env, DOCKER_BUILDKIT: '0' };
    const child = spawn('docker', [...tls, '-H', dockerHost, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
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

/**
 * Fills ROOT with a static busybox as /bin/busybox, every applet linked beside it, and a /tmp (1777).
 * The applets are listed by `lister`: busybox itself, or, for another CPU architecture's busybox, one
 * of the same version that runs here.
 */
async function fillBusyboxRoot(root: string, busybox = BUSYBOX, lister = busybox): Promise<void> {
  mkdirSync(join(root, 'bin'), { recursive: true });
  mkdirSync(join(root, 'tmp'));
  chmodSync(join(root, 'tmp'), 0o1777);
  copyFileSync(busybox, join(root, 'bin', 'busybox'));
  chmodSync(join(root, 'bin', 'busybox'), 0o755);
  const { stdout } = await run(lister, ['--list']);
  for (const applet of stdout.split('\n').filter((name) => name && name !== 'busybox')) {
    symlinkSync('busybox', join(root, 'bin', applet));
  }
}

function tarOf(root: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', ['-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    tar.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    tar.on('error', reject);
    tar.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`tar exited ${code}`))));
  });
}

/** A file for busyboxRootTar: text, or bytes with a mode (an executable). */
export type RootFile = string | { content: Buffer; mode: number };

/**
 * A busybox root with every applet, plus `files` (path inside the root -> content), as a tar stream for
 * `docker import -` on any engine (the VM's, reached only through the CLI with its TLS certificate).
 * `busybox` is the static binary to put in it (default: this computer's /bin/busybox); `lister` lists
 * its applets when it cannot run here (another architecture's).
 */
export async function busyboxRootTar(files: Record<string, RootFile> = {}, busybox = BUSYBOX, lister = busybox): Promise<Buffer> {
  const root = mkdtempSync(join(tmpdir(), 'berth-root-'));
  try {
    await fillBusyboxRoot(root, busybox, lister);
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      if (typeof content === 'string') writeFileSync(join(root, file), content);
      else {
        writeFileSync(join(root, file), content.content);
        chmodSync(join(root, file), content.mode);
      }
    }
    return await tarOf(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function importRoot(dockerHost: string, root: string, tag: string, cmd: string[]): Promise<void> {
  const tar = await tarOf(root);
  await dockerCli(dockerHost, ['import', '--change', `CMD ${JSON.stringify(cmd)}`, '-', tag], tar);
}

export async function buildTestImages(dockerHost: string): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'berth-images-'));
  try {
    const withShell = join(work, 'busybox');
    await fillBusyboxRoot(withShell);
    await importRoot(dockerHost, withShell, BUSYBOX_IMAGE, ['/bin/sh']);

    const noShell = join(work, 'no-shell');
    mkdirSync(noShell);
    copyFileSync(BUSYBOX, join(noShell, 'busybox'));
    await importRoot(dockerHost, noShell, NO_SHELL_IMAGE, ['/busybox', 'sleep', '3600']);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
