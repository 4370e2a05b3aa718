/**
 * The address of an engine the user adds to the list: `ssh://user@host[:port]` or `tcp://host:port`
 * (always with TLS: an engine list entry never sends the engine API unencrypted over a network). Pure,
 * for the contract's validation; the messages say what is wrong and what to type instead.
 */
import { EngineAddressError, parseSshAddress, type SshAddress } from './ssh-address.js';

export type RemoteAddress = ({ kind: 'ssh' } & SshAddress) | { kind: 'tcp'; host: string; port: number };

const TLS_PORT = 2376;
const TCP_HOST = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?|\[[0-9A-Fa-f:.]+\])$/;

export function parseRemoteAddress(address: string): RemoteAddress {
  const trimmed = address.trim();
  if (trimmed.startsWith('ssh://')) return { kind: 'ssh', ...parseSshAddress(trimmed) };
  if (trimmed.startsWith('tcp://')) {
    const rest = trimmed.slice('tcp://'.length).replace(/\/$/, '');
    const match = /^(\[[^\]]*\]|[^:/]*)(?::([^/]*))?$/.exec(rest);
    const host = match?.[1] ?? '';
    if (!match || !host) throw new EngineAddressError(`"${address}" names no host: use tcp://host:2376.`);
    if (!TCP_HOST.test(host)) throw new EngineAddressError(`"${host}" is not a host name or IP address.`);
    const portText = match[2];
    const port = portText === undefined ? TLS_PORT : /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new EngineAddressError(`"${portText}" is not a port: use a number from 1 to 65535.`);
    }
    return { kind: 'tcp', host: host.replace(/^\[(.*)\]$/, '$1'), port };
  }
  if (trimmed.startsWith('unix://') || trimmed.startsWith('npipe://')) {
    throw new EngineAddressError(
      "A socket on this computer is already in the list as this computer's engine; add ssh:// or tcp:// engines.",
    );
  }
  throw new EngineAddressError(`"${address}" is not an engine address: use ssh://user@host[:port] or tcp://host:port.`);
}

export function formatRemoteAddress(address: RemoteAddress): string {
  if (address.kind === 'ssh') {
    const host = address.host.includes(':') ? `[${address.host}]` : address.host;
    return `ssh://${address.user ? `${address.user}@` : ''}${host}${address.port ? `:${address.port}` : ''}`;
  }
  return `tcp://${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}
