/**
 * Where the engine is. The spine reads DOCKER_HOST; the VM issue supplies its own endpoint (a unix
 * socket in Berth's state directory, or TCP with per-installation TLS client certificates).
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { formatSshAddress, parseSshAddress, type SshAddress } from '../remote/index.js';

export interface TlsMaterial {
  ca: string;
  cert: string;
  key: string;
  /**
   * The suites to offer, best first (OpenSSL's names, TLS 1.3 ones included); Node's default when absent.
   * Berth's emulated VM asks for ChaCha20 first: its guest has no fast AES-GCM (vm/README.md).
   */
  ciphers?: string;
}

export type EngineEndpoint =
  | { kind: 'unix'; socketPath: string }
  | { kind: 'npipe'; pipePath: string }
  | { kind: 'tcp'; host: string; port: number; tls: TlsMaterial | null }
  /** Reached through the system ssh running `docker system dial-stdio` there, as the docker CLI does. */
  | ({ kind: 'ssh' } & SshAddress);

export const DEFAULT_UNIX_SOCKET = '/var/run/docker.sock';

export class EndpointError extends Error {}

/**
 * Parses a DOCKER_HOST-style address. TCP without TLS is accepted only because a user asked for it
 * explicitly; Berth itself never creates an unauthenticated TCP engine endpoint.
 */
export function parseEngineAddress(address: string, tls: TlsMaterial | null = null): EngineEndpoint {
  if (address.startsWith('unix://')) {
    const socketPath = address.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw new EndpointError(`The unix socket path must be absolute: ${address}`);
    return { kind: 'unix', socketPath };
  }
  if (address.startsWith('ssh://')) {
    try {
      return { kind: 'ssh', ...parseSshAddress(address) };
    } catch (error) {
      throw new EndpointError((error as Error).message);
    }
  }
  if (address.startsWith('npipe://')) return { kind: 'npipe', pipePath: address.slice('npipe://'.length) };
  if (address.startsWith('tcp://') || address.startsWith('https://')) {
    let url: URL;
    try {
      // A scheme without a default port: under https: an explicit ":443" would read as no port at all.
      url = new URL(address.replace(/^(tcp|https):/, 'berth-tcp:'));
    } catch {
      throw new EndpointError(`Not an engine address: ${address}`);
    }
    if (!url.hostname) throw new EndpointError(`Not an engine address: ${address}`);
    const port = url.port ? Number(url.port) : tls ? 2376 : 2375;
    return { kind: 'tcp', host: url.hostname, port, tls };
  }
  throw new EndpointError(`Unsupported engine address "${address}": use unix://, npipe://, tcp:// or ssh://`);
}

/** The endpoint a plain `docker` CLI would use: DOCKER_HOST (with DOCKER_CERT_PATH when TLS is on), else the default socket. */
export function endpointFromEnvironment(env: NodeJS.ProcessEnv = process.env): EngineEndpoint {
  const address = env.DOCKER_HOST?.trim();
  if (!address) return { kind: 'unix', socketPath: DEFAULT_UNIX_SOCKET };
  const tlsOn = env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '' && env.DOCKER_TLS_VERIFY !== '0';
  const tcp = address.startsWith('tcp://') || address.startsWith('https://');
  // Like the CLI, TLS without DOCKER_CERT_PATH means ~/.docker; never fall back to plain TCP.
  const tls = tlsOn && tcp ? readTlsMaterial(env.DOCKER_CERT_PATH || join(homedir(), '.docker')) : null;
  return parseEngineAddress(address, tls);
}

export function readTlsMaterial(directory: string): TlsMaterial {
  const read = (name: string) => readFileSync(join(directory, name), 'utf8');
  return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
}

export function describeEndpoint(endpoint: EngineEndpoint): string {
  switch (endpoint.kind) {
    case 'unix':
      return `unix://${endpoint.socketPath}`;
    case 'npipe':
      return `npipe://${endpoint.pipePath}`;
    case 'tcp':
      return `tcp://${endpoint.host}:${endpoint.port}${endpoint.tls ? ' (mutual TLS)' : ''}`;
    case 'ssh':
      return formatSshAddress(endpoint);
  }
}
