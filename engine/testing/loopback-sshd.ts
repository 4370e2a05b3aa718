/**
 * A real OpenSSH server on 127.0.0.1 in front of a test's private dockerd, for the ssh engine tests:
 * its own host key, a client key the test makes and authorizes, and `DOCKER_HOST` set for every session
 * (sshd's SetEnv), so the remote `docker system dial-stdio` reaches that dockerd. The client side is an
 * ssh config file (ssh -F) naming the key and a known_hosts with the server's key: nothing of the
 * user's ~/.ssh is read or written.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';
import { waitFor } from './wait-for.js';

const run = promisify(execFile);
export const SSHD = '/usr/sbin/sshd';

export interface LoopbackSshd {
  readonly port: number;
  /** The user the server lets in (the one running the test). */
  readonly user: string;
  /** ssh://user@127.0.0.1:port */
  readonly address: string;
  /** An ssh config (ssh -F) with the authorized key and the server's host key. */
  readonly clientConfig: string;
  /** The same, but with a key the server does not know: it refuses it. */
  readonly refusedKeyConfig: string;
  /** The authorized key, but an empty known_hosts: the host key cannot be verified. */
  readonly unknownHostConfig: string;
  stop(): Promise<void>;
}

async function makeKey(path: string): Promise<string> {
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'berth-test', '-f', path]);
  return readFileSync(`${path}.pub`, 'utf8').trim();
}

function clientConfig(dir: string, name: string, key: string, knownHosts: string): string {
  const path = join(dir, name);
  const lines = ['Host *', `  IdentityFile ${key}`, '  IdentitiesOnly yes', `  UserKnownHostsFile ${knownHosts}`];
  writeFileSync(path, [...lines, '  StrictHostKeyChecking yes', '  LogLevel ERROR', ''].join('\n'));
  return path;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

export async function startLoopbackSshd(dockerHost: string): Promise<LoopbackSshd> {
  if (!existsSync(SSHD)) throw new Error(`${SSHD} is missing: apt-get install openssh-server (tools/setup.sh test)`);
  const dir = mkdtempSync(join(tmpdir(), 'berth-sshd-'));
  // sshd's privilege separation directory, which the package's service would have made.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const hostKey = await makeKey(join(dir, 'host_key'));
  const authorized = await makeKey(join(dir, 'client_key'));
  await makeKey(join(dir, 'other_key'));
  writeFileSync(join(dir, 'authorized_keys'), `${authorized}\n`, { mode: 0o600 });
  const port = await freePort();
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostKey}\n`);
  writeFileSync(join(dir, 'no_known_hosts'), '');
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PidFile none',
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      `SetEnv DOCKER_HOST=${dockerHost}`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (log = (log + text).slice(-4000)));
  try {
    await waitFor(`sshd to listen on 127.0.0.1:${port}`, async () => {
      if (child.exitCode !== null) throw new Error(`sshd exited (${child.exitCode}): ${log}`);
      return portOpen(port);
    });
  } catch (error) {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const user = userInfo().username;
  return {
    port,
    user,
    address: `ssh://${user}@127.0.0.1:${port}`,
    clientConfig: clientConfig(dir, 'client_config', join(dir, 'client_key'), join(dir, 'known_hosts')),
    refusedKeyConfig: clientConfig(dir, 'refused_config', join(dir, 'other_key'), join(dir, 'known_hosts')),
    unknownHostConfig: clientConfig(dir, 'unknown_host_config', join(dir, 'client_key'), join(dir, 'no_known_hosts')),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
