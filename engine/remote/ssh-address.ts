/**
 * `ssh://user@host[:port]` as the docker CLI takes it in DOCKER_HOST and contexts. Pure: the contract
 * validates what the user types with it before anything spawns ssh.
 */
export interface SshAddress {
  /** null: ssh picks the user (~/.ssh/config's User, else the local user name). */
  user: string | null;
  host: string;
  /** null: ssh picks the port (~/.ssh/config's Port, else 22). */
  port: number | null;
}

export class EngineAddressError extends Error {}

// Names ssh accepts without quoting; anything else (spaces, quotes, a leading "-") could be read by
// ssh as an option, so it is refused here, not escaped.
const USER = /^[A-Za-z0-9._][A-Za-z0-9._-]*$/;
const HOST = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?|\[[0-9A-Fa-f:.]+\])$/;

export function parseSshAddress(address: string): SshAddress {
  const example = 'ssh://user@host or ssh://user@host:2222';
  if (!address.startsWith('ssh://')) throw new EngineAddressError(`An ssh engine address starts with ssh:// (${example}).`);
  const rest = address.slice('ssh://'.length).replace(/\/$/, '');
  if (rest.includes('/') || rest.includes('?') || rest.includes('#')) {
    throw new EngineAddressError(`"${address}" has a path: an ssh engine address is only ${example}.`);
  }
  const at = rest.lastIndexOf('@');
  const user = at >= 0 ? rest.slice(0, at) : null;
  if (user !== null && user.includes(':')) {
    throw new EngineAddressError('Passwords do not go in the address: Berth uses your ssh keys and agent (BatchMode).');
  }
  if (user !== null && !USER.test(user)) throw new EngineAddressError(`"${user}" is not a user name ssh accepts.`);
  const hostPort = at >= 0 ? rest.slice(at + 1) : rest;
  const match = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostPort);
  const host = match?.[1] ?? '';
  if (!host) throw new EngineAddressError(`"${address}" names no host (${example}).`);
  if (!HOST.test(host)) throw new EngineAddressError(`"${host}" is not a host name or IP address.`);
  const portText = match?.[2];
  let port: number | null = null;
  if (portText !== undefined) {
    port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new EngineAddressError(`"${portText}" is not a port: use a number from 1 to 65535.`);
    }
  }
  return { user, host: host.replace(/^\[(.*)\]$/, '$1'), port };
}

export function formatSshAddress(address: SshAddress): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `ssh://${address.user ? `${address.user}@` : ''}${host}${address.port ? `:${address.port}` : ''}`;
}
