import { describe, expect, it } from 'vitest';
import { EngineError } from '../core/index.js';
import { formatPlatform, listPlatforms, parsePlatform, platformMatches, platformOf } from './platform.js';

describe('parsePlatform', () => {
  it('reads os/architecture and os/architecture/variant', () => {
    expect(parsePlatform('linux/arm64')).toEqual({ os: 'linux', architecture: 'arm64', variant: null });
    expect(parsePlatform(' Linux/ARM/v7 ')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
  });

  it('takes the kernel names of an architecture as the engine names it', () => {
    expect(formatPlatform(parsePlatform('linux/x86_64'))).toBe('linux/amd64');
    expect(formatPlatform(parsePlatform('linux/aarch64'))).toBe('linux/arm64');
    // arm64's one variant is v8: the same platform with or without it.
    expect(formatPlatform(parsePlatform('linux/arm64/v8'))).toBe('linux/arm64');
  });

  it.each(['', 'arm64', 'linux/', '/arm64', 'linux/arm/v7/extra', 'linux arm64', 'linux/arm64!'])(
    'refuses "%s" with the format',
    (text) => {
      const attempt = () => parsePlatform(text);
      expect(attempt).toThrow(EngineError);
      expect(attempt).toThrow(
        `"${text}" is not a platform: write it as os/architecture[/variant], for example linux/arm64 or linux/arm/v7.`,
      );
    },
  );
});

describe('platformMatches', () => {
  const arm7 = { os: 'linux', architecture: 'arm', variant: 'v7' };
  it('compares os and architecture, and the variant only when one is asked for', () => {
    expect(platformMatches(parsePlatform('linux/arm'), arm7)).toBe(true);
    expect(platformMatches(parsePlatform('linux/arm/v7'), arm7)).toBe(true);
    expect(platformMatches(parsePlatform('linux/arm/v6'), arm7)).toBe(false);
    expect(platformMatches(parsePlatform('linux/arm64'), arm7)).toBe(false);
    expect(platformMatches(parsePlatform('windows/amd64'), { os: 'linux', architecture: 'amd64', variant: null })).toBe(false);
  });

  it('treats an arm64 image that says v8 like one that says nothing', () => {
    const image = platformOf({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    expect(image).toEqual({ os: 'linux', architecture: 'arm64', variant: null });
    expect(platformMatches(parsePlatform('linux/arm64/v8'), image!)).toBe(true);
  });
});

describe('platformOf and listPlatforms', () => {
  it('is null without an os or an architecture', () => {
    expect(platformOf({ os: 'linux' })).toBeNull();
    expect(platformOf({ architecture: 'amd64' })).toBeNull();
  });

  it('names the platforms once each, in order', () => {
    const amd64 = parsePlatform('linux/amd64');
    expect(listPlatforms([amd64])).toBe('linux/amd64');
    expect(listPlatforms([amd64, parsePlatform('linux/arm64'), amd64, parsePlatform('linux/arm/v7')])).toBe(
      'linux/amd64, linux/arm64 and linux/arm/v7',
    );
    expect(listPlatforms([])).toBe('none');
  });
});
