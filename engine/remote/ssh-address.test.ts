import { describe, expect, it } from 'vitest';
import { EngineAddressError, formatSshAddress, parseSshAddress } from './ssh-address.js';

describe('parseSshAddress', () => {
  it.each([
    ['ssh://me@host', { user: 'me', host: 'host', port: null }],
    ['ssh://me@host:2222', { user: 'me', host: 'host', port: 2222 }],
    ['ssh://host', { user: null, host: 'host', port: null }],
    ['ssh://deploy@10.0.0.5:22/', { user: 'deploy', host: '10.0.0.5', port: 22 }],
    ['ssh://me@[::1]:2200', { user: 'me', host: '::1', port: 2200 }],
    ['ssh://build.bot@engine-1.example.com', { user: 'build.bot', host: 'engine-1.example.com', port: null }],
  ])('reads %s', (address, expected) => {
    expect(parseSshAddress(address)).toEqual(expected);
  });

  it.each([
    ['me@host', 'starts with ssh://'],
    ['ssh://', 'names no host'],
    ['ssh://me@', 'names no host'],
    ['ssh://me@host:0', '"0" is not a port: use a number from 1 to 65535.'],
    ['ssh://me@host:70000', '"70000" is not a port'],
    ['ssh://me@host:ssh', '"ssh" is not a port'],
    ['ssh://me:secret@host', 'Passwords do not go in the address'],
    ['ssh://me@host/var/run/docker.sock', 'has a path'],
    ['ssh://-oProxyCommand=x@host', 'is not a user name ssh accepts'],
    ['ssh://me@-oProxyCommand=x', 'is not a host name or IP address'],
    ['ssh://me@ho st', 'is not a host name or IP address'],
  ])('refuses %s, saying what is wrong', (address, message) => {
    expect(() => parseSshAddress(address)).toThrow(EngineAddressError);
    expect(() => parseSshAddress(address)).toThrow(message);
  });

  it('formats what it parsed back into the same address', () => {
    for (const address of ['ssh://me@host:2222', 'ssh://host', 'ssh://me@[::1]:2200']) {
      expect(formatSshAddress(parseSshAddress(address))).toBe(address);
    }
  });
});
