import { describe, expect, it } from 'vitest';
import { EngineError } from '../core/index.js';
import { familiarName, formatReference, normalizeRegistryAddress, parseImageReference } from './image-reference.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

function failure(text: string): EngineError {
  try {
    parseImageReference(text);
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('invalid-argument');
    return error as EngineError;
  }
  throw new Error(`"${text}" was accepted`);
}

describe('parseImageReference', () => {
  it('reads Docker Hub names the way the CLI does', () => {
    expect(parseImageReference('busybox')).toEqual({
      registry: 'docker.io',
      repository: 'library/busybox',
      tag: null,
      digest: null,
    });
    expect(parseImageReference('team/app:1.0')).toEqual({
      registry: 'docker.io',
      repository: 'team/app',
      tag: '1.0',
      digest: null,
    });
  });

  it('finds a registry by a dot, a port or localhost', () => {
    expect(parseImageReference('127.0.0.1:5000/team/app:v2')).toEqual({
      registry: '127.0.0.1:5000',
      repository: 'team/app',
      tag: 'v2',
      digest: null,
    });
    expect(parseImageReference('localhost/app').registry).toBe('localhost');
    expect(parseImageReference('registry.example.com/app').registry).toBe('registry.example.com');
  });

  it('keeps a port apart from a tag', () => {
    const reference = parseImageReference('127.0.0.1:5000/app');
    expect(reference.tag).toBeNull();
    expect(formatReference(reference)).toBe('127.0.0.1:5000/app:latest');
  });

  it('accepts digests, with or without a tag', () => {
    expect(parseImageReference(`app@${DIGEST}`)).toMatchObject({ tag: null, digest: DIGEST });
    expect(formatReference(parseImageReference(`app:1@${DIGEST}`))).toBe(`app:1@${DIGEST}`);
    expect(formatReference(parseImageReference(`app@${DIGEST}`))).toBe(`app@${DIGEST}`);
  });

  it('says what is wrong', () => {
    expect(failure('').message).toMatch(/An image reference is required/);
    expect(failure('Busybox').message).toMatch(/repository names must be lowercase/);
    expect(failure('my image').message).toMatch(/contains a space/);
    expect(failure('app:-bad').message).toMatch(/the tag "-bad"/);
    expect(failure('app@sha256:xyz').message).toMatch(/not a digest/);
    expect(failure('team//app').message).toMatch(/empty path component/);
    expect(failure('team/app-').message).toMatch(/"app-" may contain only/);
    expect(failure(':tag').message).toMatch(/repository name is missing/);
    expect(failure(`${'a'.repeat(256)}`).message).toMatch(/longer than 255/);
  });
});

describe('familiarName', () => {
  it('drops docker.io and library/', () => {
    expect(familiarName(parseImageReference('docker.io/library/busybox'))).toBe('busybox');
    expect(familiarName(parseImageReference('127.0.0.1:5000/library/busybox'))).toBe('127.0.0.1:5000/library/busybox');
  });
});

describe('normalizeRegistryAddress', () => {
  it('tolerates pasted URLs and folds Docker Hub', () => {
    expect(normalizeRegistryAddress('http://127.0.0.1:5000/v2/')).toBe('127.0.0.1:5000');
    expect(normalizeRegistryAddress('https://index.docker.io/v1/')).toBe('docker.io');
    expect(normalizeRegistryAddress(' Registry.Example.com ')).toBe('registry.example.com');
  });

  it('refuses what is not an address', () => {
    expect(() => normalizeRegistryAddress('not an address')).toThrow(/is not a registry address/);
    expect(() => normalizeRegistryAddress('')).toThrow(/is not a registry address/);
  });
});
