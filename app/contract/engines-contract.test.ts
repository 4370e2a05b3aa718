import { describe, expect, it } from 'vitest';
import { AddEngineSchema } from './engines-contract.js';

const firstProblem = (input: unknown) => {
  const parsed = AddEngineSchema.safeParse(input);
  return parsed.success ? null : parsed.error.issues[0]?.message;
};
const TLS = { ca: '/certs/ca.pem', cert: '/certs/cert.pem', key: '/certs/key.pem' };

describe('AddEngineSchema', () => {
  it('takes an ssh engine, and a tcp engine with its TLS files', () => {
    expect(AddEngineSchema.parse({ name: ' build ', address: 'ssh://me@build:2222', tls: null })).toEqual({
      name: 'build',
      address: 'ssh://me@build:2222',
      tls: null,
    });
    expect(AddEngineSchema.parse({ name: 'prod', address: 'tcp://prod.example:2376', tls: TLS }).tls).toEqual(TLS);
  });

  it.each([
    [{ name: 'x', address: 'me@host', tls: null }, 'is not an engine address: use ssh://user@host[:port] or tcp://host:port.'],
    [{ name: 'x', address: 'ssh://me@host:99999', tls: null }, '"99999" is not a port: use a number from 1 to 65535.'],
    [
      { name: 'x', address: 'ssh://me:pw@host', tls: null },
      'Passwords do not go in the address: Berth uses your ssh keys and agent (BatchMode).',
    ],
    [
      { name: 'x', address: 'unix:///var/run/docker.sock', tls: null },
      "A socket on this computer is already in the list as this computer's engine; add ssh:// or tcp:// engines.",
    ],
    [
      { name: 'x', address: 'tcp://prod:2376', tls: null },
      'A tcp:// engine needs TLS: give the CA certificate, client certificate and key (as in DOCKER_CERT_PATH).',
    ],
    [{ name: 'x', address: 'ssh://me@host', tls: TLS }, 'TLS files are for tcp:// engines; ssh engines use your ssh keys.'],
    [{ name: 'x', address: 'tcp://prod', tls: { ...TLS, key: 'key.pem' } }, 'The client key path must be absolute.'],
    [{ name: ' ', address: 'ssh://me@host', tls: null }, 'Give the engine a name.'],
    [{ name: 'x', address: '', tls: null }, 'Give the engine address: ssh://user@host[:port] or tcp://host:port.'],
  ])('refuses %j: %s', (input, message) => {
    expect(firstProblem(input)).toContain(message);
  });
});
