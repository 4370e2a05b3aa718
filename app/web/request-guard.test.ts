import { describe, expect, it } from 'vitest';
import {
  allowedOrigins,
  checkFetchSite,
  checkHost,
  checkOrigin,
  checkToken,
  cookieName,
  firstRefusal,
  guessingLockout,
  isForeignNavigation,
  readCookie,
  tokensEqual,
  type GuardConfig,
} from './request-guard.js';

const config: GuardConfig = { port: 47_123, token: 'tok-3f9a_RIGHT' };

describe('checkHost', () => {
  it.each(['127.0.0.1:47123', 'localhost:47123', 'LOCALHOST:47123'])('accepts %s', (host) => {
    expect(checkHost(host, config)).toEqual({ ok: true });
  });

  it.each(['evil.example:47123', 'attacker.rebind.it', '127.0.0.1:80', '127.0.0.1', 'localhost', '0.0.0.0:47123', '[::1]:47123'])(
    'refuses the foreign Host %s with 421 naming it',
    (host) => {
      const decision = checkHost(host, config);
      expect(decision).toMatchObject({ ok: false, status: 421 });
      expect(decision.ok === false && decision.reason).toContain(`"${host}"`);
    },
  );

  it('refuses a request with no Host header', () => {
    expect(checkHost(undefined, config)).toMatchObject({ ok: false, status: 421 });
  });
});

describe('checkOrigin', () => {
  it.each(allowedOrigins(config.port))('accepts our own origin %s', (origin) => {
    expect(checkOrigin(origin, config, true)).toEqual({ ok: true });
  });

  it.each([
    'https://evil.example',
    'http://127.0.0.1:8080',
    'https://127.0.0.1:47123',
    'null',
    'http://localhost:47123.evil.example',
  ])('refuses the foreign Origin %s with 403', (origin) => {
    const decision = checkOrigin(origin, config, false);
    expect(decision).toMatchObject({ ok: false, status: 403 });
    expect(decision.ok === false && decision.reason).toContain(`(${origin})`);
  });

  it('lets a request without Origin through only where it is not required (a GET navigation)', () => {
    expect(checkOrigin(undefined, config, false)).toEqual({ ok: true });
    expect(checkOrigin(undefined, config, true)).toMatchObject({
      ok: false,
      status: 403,
      reason: expect.stringContaining('no Origin header') as string,
    });
  });
});

describe('checkToken', () => {
  const cookie = (value: string) => `theme=dark; ${cookieName(config.port)}=${value}; other=1`;

  it('accepts the right cookie', () => {
    expect(checkToken({ cookie: cookie(config.token) }, config)).toEqual({ ok: true });
  });

  it('accepts the right Bearer token', () => {
    expect(checkToken({ authorization: `Bearer ${config.token}` }, config)).toEqual({ ok: true });
  });

  it('refuses a request with no token: 401, saying none was given', () => {
    const decision = checkToken({}, config);
    expect(decision).toMatchObject({ ok: false, status: 401 });
    expect(decision.ok === false && decision.reason).toContain('carries no Berth token');
  });

  it('refuses a wrong token: 401, saying it is wrong (a different reason than a missing one)', () => {
    const missing = checkToken({}, config);
    for (const headers of [
      { cookie: cookie('tok-3f9a_WRONG') },
      { authorization: 'Bearer tok-3f9a_WRONG' },
      { authorization: 'Bearer ' },
    ]) {
      const decision = checkToken(headers, config);
      expect(decision).toMatchObject({ ok: false, status: 401 });
      expect(decision.ok === false && decision.reason).toContain('wrong or from an earlier start');
      expect(decision).not.toEqual(missing);
    }
  });

  it('ignores the cookie of another Berth on another port', () => {
    const otherPort = `${cookieName(config.port + 1)}=${config.token}`;
    expect(checkToken({ cookie: otherPort }, config)).toMatchObject({
      ok: false,
      status: 401,
      reason: expect.stringContaining('no Berth token') as string,
    });
  });

  it('does not take a token from an Authorization scheme other than Bearer', () => {
    expect(checkToken({ authorization: `Basic ${config.token}` }, config)).toMatchObject({ ok: false, status: 401 });
  });

  it('a wrong Bearer token is not rescued by a right cookie', () => {
    expect(checkToken({ authorization: 'Bearer nope', cookie: cookie(config.token) }, config)).toMatchObject({
      ok: false,
      status: 401,
    });
  });

  it('refuses a token that is only a prefix or an extension of the right one', () => {
    expect(checkToken({ authorization: `Bearer ${config.token.slice(0, -1)}` }, config).ok).toBe(false);
    expect(checkToken({ authorization: `Bearer ${config.token}x` }, config).ok).toBe(false);
  });
});

describe('readCookie', () => {
  it('finds a cookie among others and decodes it', () => {
    expect(readCookie('a=1; b=x%20y; c=3', 'b')).toBe('x y');
    expect(readCookie('a=1', 'b')).toBeUndefined();
    expect(readCookie(undefined, 'b')).toBeUndefined();
  });

  it('keeps "=" inside a value', () => {
    expect(readCookie('b=abc==', 'b')).toBe('abc==');
  });

  it('does not throw on a malformed percent-encoding (any local page can set such a cookie)', () => {
    expect(() => readCookie('b=%E0%A4%A', 'b')).not.toThrow();
    expect(checkToken({ cookie: `${cookieName(config.port)}=%E0%A4%A` }, config)).toMatchObject({ ok: false, status: 401 });
  });
});

describe('tokensEqual and firstRefusal', () => {
  it('compares tokens of any length without throwing', () => {
    expect(tokensEqual('abc', 'abc')).toBe(true);
    expect(tokensEqual('abc', 'abd')).toBe(false);
    expect(tokensEqual('abc', 'abcd')).toBe(false);
    expect(tokensEqual('abc', undefined)).toBe(false);
    expect(tokensEqual('abc', '')).toBe(false);
  });

  it('returns the first refusal in order, or ok', () => {
    const host = checkHost('evil:1', config);
    const token = checkToken({}, config);
    expect(firstRefusal({ ok: true }, host, token)).toBe(host);
    expect(firstRefusal({ ok: true }, token, host)).toBe(token);
    expect(firstRefusal({ ok: true }, { ok: true })).toEqual({ ok: true });
  });
});

describe('checkFetchSite and isForeignNavigation', () => {
  it.each([{}, { 'sec-fetch-site': 'same-origin' }, { 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate' }])(
    'lets our own page, the user and non-browser clients through: %j',
    (headers) => {
      expect(checkFetchSite(headers)).toEqual({ ok: true });
      expect(isForeignNavigation(headers)).toBe(false);
    },
  );

  it.each(['same-site', 'cross-site'])('treats a %s navigation as a visitor without a token, not as a refusal', (site) => {
    const headers = { 'sec-fetch-site': site, 'sec-fetch-mode': 'navigate' };
    expect(checkFetchSite(headers)).toEqual({ ok: true });
    expect(isForeignNavigation(headers)).toBe(true);
  });

  it.each([
    ['same-site', 'cors'],
    ['same-site', 'no-cors'],
    ['cross-site', 'websocket'],
    ['garbage', 'cors'],
  ])('refuses a %s %s request with 403 naming the header', (site, mode) => {
    const decision = checkFetchSite({ 'sec-fetch-site': site, 'sec-fetch-mode': mode });
    expect(decision).toMatchObject({ ok: false, status: 403 });
    expect(decision.ok === false && decision.reason).toContain(`Sec-Fetch-Site: ${site}`);
  });
});

describe('guessingLockout', () => {
  it('is a 429 with whole seconds to wait, at least one', () => {
    expect(guessingLockout(12_000)).toMatchObject({ ok: false, status: 429, retryAfterSeconds: 12 });
    expect(guessingLockout(11_001)).toMatchObject({ retryAfterSeconds: 12 });
    expect(guessingLockout(1)).toMatchObject({ retryAfterSeconds: 1 });
    expect(guessingLockout(12_000).reason).toContain('for 12 s');
  });
});
