import { describe, expect, it } from 'vitest';
import { EngineError } from '../core/index.js';
import { toRegistryError } from './registry-errors.js';

/** What dockerode throws for an engine answer: the status and the engine's JSON message. */
const engineAnswer = (statusCode: number, message: string) =>
  Object.assign(new Error(message), { statusCode, json: { message } });

describe('toRegistryError', () => {
  it('tells wrong credentials from a missing login', () => {
    const login = toRegistryError(
      engineAnswer(500, 'login attempt to http://127.0.0.1:5000/v2/ failed with status: 401 Unauthorized'),
      'login',
      '127.0.0.1:5000',
    );
    expect(login).toMatchObject({ code: 'unauthorized', message: 'Wrong user name or password for 127.0.0.1:5000.' });
    const none = toRegistryError(
      engineAnswer(500, 'Head "http://r:5000/v2/a/manifests/1": no basic auth credentials'),
      'pull',
      'r:5000',
      'r:5000/a:1',
    );
    expect(none.message).toBe('Registry r:5000 needs a login: log in to r:5000 with an account that may pull r:5000/a:1.');
    const refused = toRegistryError(
      new EngineError('engine-error', 'unauthorized: authentication required'),
      'push',
      'r:5000',
      'r:5000/a:1',
    );
    expect(refused.code).toBe('unauthorized');
    expect(refused.message).toMatch(/refused the saved login/);
  });

  it('names an image the registry does not have', () => {
    const error = toRegistryError(
      engineAnswer(404, 'manifest for r:5000/a:1 not found: manifest unknown: manifest unknown'),
      'pull',
      'r:5000',
      'r:5000/a:1',
    );
    expect(error).toMatchObject({ code: 'not-found', message: 'Image r:5000/a:1 was not found in registry r:5000.' });
  });

  it('explains an unreachable registry and one without HTTPS', () => {
    const refused = toRegistryError(
      engineAnswer(500, 'Get "http://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused'),
      'pull',
      '127.0.0.1:1',
    );
    expect(refused.message).toMatch(/^The engine cannot reach registry 127\.0\.0\.1:1: /);
    const http = toRegistryError(
      engineAnswer(500, 'Get "https://r.example:5000/v2/": http: server gave HTTP response to HTTPS client'),
      'pull',
      'r.example:5000',
    );
    expect(http.message).toMatch(/speaks plain HTTP: add it to the engine's "insecure-registries"/);
  });

  it("keeps the engine's own unreachability as it is", () => {
    const away = toRegistryError(Object.assign(new Error('connect ENOENT'), { code: 'ENOENT' }), 'pull', 'r:5000', 'r:5000/a:1');
    expect(away.code).toBe('unreachable');
  });
});
