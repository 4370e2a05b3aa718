/** From a saved engine (an address and TLS file paths) to the endpoint the connection uses, and a status probe. */
import { readFileSync } from 'node:fs';
import {
  createDockerode,
  describeConnectError,
  type EngineClientOptions,
  type EngineEndpoint,
  type TlsMaterial,
} from '../../engine/core/index.js';
import { parseRemoteAddress } from '../../engine/remote/index.js';
import type { EngineStatus, TlsPaths } from '../contract/engines-contract.js';
import type { SavedEngine } from './engine-list-store.js';

export class EngineFileError extends Error {}

const PROBE_TIMEOUT_MS = 15_000;

function readPem(what: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new EngineFileError(`Cannot read the ${what} at ${path}: ${why}.`);
  }
}

export function readTlsFiles(paths: TlsPaths): TlsMaterial {
  return {
    ca: readPem('CA certificate', paths.ca),
    cert: readPem('client certificate', paths.cert),
    key: readPem('client key', paths.key),
  };
}

/** Throws EngineFileError when a TLS file cannot be read, naming which and why. */
export function endpointOfSaved(engine: SavedEngine): EngineEndpoint {
  const address = parseRemoteAddress(engine.address);
  if (address.kind === 'ssh') return address;
  if (!engine.tls) throw new EngineFileError(`${engine.address} has no TLS files; remove it and add it again with them.`);
  return { kind: 'tcp', host: address.host, port: address.port, tls: readTlsFiles(engine.tls) };
}

/** Asks an engine its version once, on a client of its own that is closed after. */
export async function probeEngine(endpoint: EngineEndpoint, options: EngineClientOptions = {}): Promise<EngineStatus> {
  const docker = createDockerode(endpoint, options);
  try {
    const calls = docker as unknown as {
      version(options: { abortSignal: AbortSignal }): Promise<{ Version: string; ApiVersion: string }>;
    };
    const version = await calls.version({ abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return { kind: 'reachable', version: version.Version, apiVersion: version.ApiVersion };
  } catch (error) {
    const timedOut = (error as Error).name === 'AbortError' || (error as Error).name === 'TimeoutError';
    return {
      kind: 'unreachable',
      reason: timedOut ? 'The engine did not answer within 15 s.' : describeConnectError(error, endpoint),
    };
  } finally {
    (docker.modem as unknown as { agent?: { destroy(): void } }).agent?.destroy();
  }
}
