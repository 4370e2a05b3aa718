/**
 * A private image registry for tests and benchmarks: Debian's docker-registry (the CNCF distribution
 * registry) on 127.0.0.1 with its own config file and storage in a temp dir. dockerd treats 127.0.0.0/8
 * as an insecure registry by default, so plain HTTP works without touching the engine's config.
 * With `auth`, it asks for a user name and password (htpasswd, bcrypt through perl's crypt(3), which
 * Debian's libxcrypt implements; perl-base is always installed).
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';

const run = promisify(execFile);
export const REGISTRY_BINARY = '/usr/bin/docker-registry';

export interface LocalRegistryOptions {
  auth?: { username: string; password: string };
}

export interface LocalRegistry {
  /** host:port, the prefix of this registry's image references. */
  readonly address: string;
  readonly dir: string;
  readonly pid: number;
  stop(): Promise<void>;
}

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

async function bcrypt(password: string): Promise<string> {
  const salt = [...randomBytes(22)].map((byte) => BCRYPT_ALPHABET[byte % 64]).join('');
  // The password travels in the environment, not on a command line other processes can read.
  const { stdout } = await run('perl', ['-e', 'print crypt($ENV{PW}, $ARGV[0])', `$2b$05$${salt}`], {
    env: { ...process.env, PW: password },
  });
  if (!stdout.startsWith('$2b$')) throw new Error(`This libc's crypt(3) has no bcrypt: ${stdout}`);
  return stdout;
}

function registryAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/v2/', timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200 || response.statusCode === 401);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => {
      request.destroy();
      resolve(false);
    });
  });
}

export async function startLocalRegistry(options: LocalRegistryOptions = {}): Promise<LocalRegistry> {
  if (!existsSync(REGISTRY_BINARY)) throw new Error('docker-registry is missing: apt-get install docker-registry');
  const dir = mkdtempSync(join(tmpdir(), 'berth-registry-'));
  mkdirSync(join(dir, 'data'));
  const port = await freePort();
  const lines = [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    // A fixed secret, so the registry does not warn about generating one.
    `  secret: ${randomBytes(16).toString('hex')}`,
  ];
  if (options.auth) {
    writeFileSync(join(dir, 'htpasswd'), `${options.auth.username}:${await bcrypt(options.auth.password)}\n`, { mode: 0o600 });
    lines.push('auth:', '  htpasswd:', '    realm: berth-test', `    path: ${join(dir, 'htpasswd')}`);
  }
  const configFile = join(dir, 'config.yml');
  writeFileSync(configFile, `${lines.join('\n')}\n`);
  const logFile = join(dir, 'registry.log');
  const log = openSync(logFile, 'a');
  const child = spawn(REGISTRY_BINARY, ['serve', configFile], { stdio: ['ignore', log, log], detached: true });
  let exited = false;
  child.on('exit', () => (exited = true));
  const deadline = Date.now() + 20_000;
  while (!(await registryAnswers(port))) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      const tail = readFileSync(logFile, 'utf8').slice(-2000);
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`docker-registry did not start on 127.0.0.1:${port}:\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const pid = child.pid!;
  child.unref();
  return {
    address: `127.0.0.1:${port}`,
    dir,
    pid,
    async stop() {
      if (!exited) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5_000))]);
        if (!exited) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
