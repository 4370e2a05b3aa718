/**
 * The HTTP agent for an ssh engine, reached the way the docker CLI reaches it: the system `ssh` (so
 * ~/.ssh/config, the agent and known_hosts apply) running `docker system dial-stdio` on the remote.
 * Each HTTP connection is one ssh process; keep-alive reuses idle ones, so a burst of requests pays the
 * ssh handshake once. Long streams (events, logs, an exec's attach) hold their own.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { formatSshAddress, type SshAddress } from './ssh-address.js';
import { SshStdioSocket } from './ssh-stdio-socket.js';

export interface SshDialOptions {
  /** The ssh program; default "ssh" on the PATH. */
  command?: string;
  /** An ssh config file to use instead of ~/.ssh/config (ssh -F). */
  configFile?: string;
  /** ssh's ConnectTimeout; default 10 s. */
  connectTimeoutSeconds?: number;
}

/** Idle ssh connections kept for reuse; an idle one ends after IDLE_MS. */
const MAX_IDLE = 2;
const IDLE_MS = 30_000;

export function sshDialArguments(address: SshAddress, options: SshDialOptions = {}): string[] {
  return [
    ...(options.configFile ? ['-F', options.configFile] : []),
    // Never a password or host-key prompt: nobody is at a terminal to answer it.
    '-o',
    'BatchMode=yes',
    '-o',
    `ConnectTimeout=${options.connectTimeoutSeconds ?? 10}`,
    '-T',
    ...(address.user ? ['-l', address.user] : []),
    ...(address.port ? ['-p', String(address.port)] : []),
    '--',
    address.host,
    'docker',
    'system',
    'dial-stdio',
  ];
}

export class SshDialAgent extends http.Agent {
  constructor(
    private readonly address: SshAddress,
    private readonly options: SshDialOptions = {},
  ) {
    super({ keepAlive: true, maxFreeSockets: MAX_IDLE, timeout: IDLE_MS });
  }

  override createConnection(): Duplex {
    const child = spawn(this.options.command ?? 'ssh', sshDialArguments(this.address, this.options), {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new SshStdioSocket(child, formatSshAddress(this.address));
  }
}
