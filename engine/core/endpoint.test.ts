import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_UNIX_SOCKET,
  EndpointError,
  describeEndpoint,
  endpointFromEnvironment,
  parseEngineAddress,
  readTlsMaterial,
  type TlsMaterial,
} from './endpoint.js';

const TLS: TlsMaterial = { ca: 'CA', cert: 'CERT', key: 'KEY' };

function writeCerts(directory: string, prefix: string): void {
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, 'ca.pem'), `${prefix}-ca`);
  writeFileSync(join(directory, 'cert.pem'), `${prefix}-cert`);
  writeFileSync(join(directory, 'key.pem'), `${prefix}-key`);
}

describe('parseEngineAddress', () => {
  it('reads an absolute unix socket path', () => {
    expect(parseEngineAddress('unix:///var/run/docker.sock')).toEqual({ kind: 'unix', socketPath: '/var/run/docker.sock' });
  });

  it('refuses a relative unix socket path', () => {
    expect(() => parseEngineAddress('unix://docker.sock')).toThrow(EndpointError);
    expect(() => parseEngineAddress('unix://docker.sock')).toThrow('must be absolute: unix://docker.sock');
  });

  it('reads a Windows named pipe', () => {
    expect(parseEngineAddress('npipe:////./pipe/docker_engine')).toEqual({ kind: 'npipe', pipePath: '//./pipe/docker_engine' });
  });

  it('reads tcp with an explicit port, with and without TLS material', () => {
    expect(parseEngineAddress('tcp://10.0.0.5:2380')).toEqual({ kind: 'tcp', host: '10.0.0.5', port: 2380, tls: null });
    expect(parseEngineAddress('tcp://engine.local:2380', TLS)).toEqual({
      kind: 'tcp',
      host: 'engine.local',
      port: 2380,
      tls: TLS,
    });
  });

  it('defaults the tcp port to 2375 without TLS and 2376 with TLS (the engine conventions)', () => {
    expect(parseEngineAddress('tcp://10.0.0.5')).toMatchObject({ port: 2375, tls: null });
    expect(parseEngineAddress('tcp://10.0.0.5', TLS)).toMatchObject({ port: 2376, tls: TLS });
  });

  it('keeps an explicit port even when it is a web default (443, 80)', () => {
    expect(parseEngineAddress('tcp://engine.example:443', TLS)).toMatchObject({ port: 443 });
    expect(parseEngineAddress('tcp://engine.example:80')).toMatchObject({ port: 80 });
  });

  it('accepts https:// as tcp', () => {
    expect(parseEngineAddress('https://engine.example:443', TLS)).toEqual({
      kind: 'tcp',
      host: 'engine.example',
      port: 443,
      tls: TLS,
    });
  });

  it.each(['tcp://', 'tcp://host:notaport', 'tcp://host:99999'])('refuses the malformed tcp address %s', (address) => {
    expect(() => parseEngineAddress(address)).toThrow(EndpointError);
    expect(() => parseEngineAddress(address)).toThrow(`Not an engine address: ${address}`);
  });

  it.each(['http://host:2375', '/var/run/docker.sock', ''])('refuses the unsupported address "%s"', (address) => {
    expect(() => parseEngineAddress(address)).toThrow(
      /Unsupported engine address .*use unix:\/\/, npipe:\/\/, tcp:\/\/ or ssh:\/\//,
    );
  });

  it('reads an ssh address the way the docker CLI takes it', () => {
    expect(parseEngineAddress('ssh://me@host:2222')).toEqual({ kind: 'ssh', user: 'me', host: 'host', port: 2222 });
    expect(describeEndpoint(parseEngineAddress('ssh://me@host:2222'))).toBe('ssh://me@host:2222');
  });
});

describe('endpointFromEnvironment', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-endpoint-test-'));
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses the default socket without DOCKER_HOST, or with a blank one', () => {
    expect(endpointFromEnvironment({})).toEqual({ kind: 'unix', socketPath: DEFAULT_UNIX_SOCKET });
    expect(endpointFromEnvironment({ DOCKER_HOST: '  ' })).toEqual({ kind: 'unix', socketPath: DEFAULT_UNIX_SOCKET });
  });

  it('uses DOCKER_HOST, trimmed', () => {
    expect(endpointFromEnvironment({ DOCKER_HOST: ' unix:///tmp/engine.sock\n' })).toEqual({
      kind: 'unix',
      socketPath: '/tmp/engine.sock',
    });
  });

  it('reads the TLS material from DOCKER_CERT_PATH when DOCKER_TLS_VERIFY is set', () => {
    writeCerts(dir, 'mine');
    const endpoint = endpointFromEnvironment({ DOCKER_HOST: 'tcp://10.1.2.3', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: dir });
    expect(endpoint).toEqual({
      kind: 'tcp',
      host: '10.1.2.3',
      port: 2376,
      tls: { ca: 'mine-ca', cert: 'mine-cert', key: 'mine-key' },
    });
  });

  it.each(['0', ''])('treats DOCKER_TLS_VERIFY="%s" as off', (value) => {
    writeCerts(dir, 'mine');
    expect(endpointFromEnvironment({ DOCKER_HOST: 'tcp://10.1.2.3', DOCKER_TLS_VERIFY: value, DOCKER_CERT_PATH: dir })).toEqual({
      kind: 'tcp',
      host: '10.1.2.3',
      port: 2375,
      tls: null,
    });
  });

  it('falls back to ~/.docker for the certificates, like the CLI, instead of plain TCP', () => {
    writeCerts(join(dir, '.docker'), 'home');
    vi.stubEnv('HOME', dir);
    expect(endpointFromEnvironment({ DOCKER_HOST: 'tcp://10.1.2.3', DOCKER_TLS_VERIFY: '1' })).toMatchObject({
      port: 2376,
      tls: { ca: 'home-ca', cert: 'home-cert', key: 'home-key' },
    });
  });

  it('fails loudly when TLS is asked for and the certificates are missing', () => {
    expect(() =>
      endpointFromEnvironment({ DOCKER_HOST: 'tcp://10.1.2.3', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: dir }),
    ).toThrow(/ca\.pem/);
  });

  it('needs no certificates for a unix socket even with DOCKER_TLS_VERIFY set', () => {
    expect(endpointFromEnvironment({ DOCKER_HOST: 'unix:///tmp/e.sock', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: dir })).toEqual(
      {
        kind: 'unix',
        socketPath: '/tmp/e.sock',
      },
    );
  });

  it('passes parse errors through', () => {
    expect(() => endpointFromEnvironment({ DOCKER_HOST: 'ssh://me@host:port' })).toThrow(EndpointError);
  });
});

describe('readTlsMaterial', () => {
  it('reads ca.pem, cert.pem and key.pem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-tls-test-'));
    try {
      writeCerts(dir, 'x');
      expect(readTlsMaterial(dir)).toEqual({ ca: 'x-ca', cert: 'x-cert', key: 'x-key' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('describeEndpoint', () => {
  it('prints each kind as an address a person recognises', () => {
    expect(describeEndpoint({ kind: 'unix', socketPath: '/run/docker.sock' })).toBe('unix:///run/docker.sock');
    expect(describeEndpoint({ kind: 'npipe', pipePath: '//./pipe/docker_engine' })).toBe('npipe:////./pipe/docker_engine');
    expect(describeEndpoint({ kind: 'tcp', host: 'h', port: 2375, tls: null })).toBe('tcp://h:2375');
    expect(describeEndpoint({ kind: 'tcp', host: 'h', port: 2376, tls: TLS })).toBe('tcp://h:2376 (mutual TLS)');
  });

  it('round-trips through parseEngineAddress', () => {
    for (const address of ['unix:///run/docker.sock', 'tcp://10.0.0.1:2375']) {
      expect(describeEndpoint(parseEngineAddress(address))).toBe(address);
    }
  });
});
