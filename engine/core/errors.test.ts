import { describe, expect, it } from 'vitest';
import { EngineError, isDiskFullError, toEngineError } from './errors.js';

/** What dockerode rejects with: docker-modem's Error with statusCode, json and reason. */
function modemError(statusCode: number, message: string, json: { message?: string } | null = { message }): Error {
  return Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${message} `), {
    statusCode,
    json,
    reason: 'unexpected',
  });
}

describe('EngineError', () => {
  it('is an Error with a code and a name', () => {
    const error = new EngineError('not-found', 'No such container: web');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('EngineError');
    expect(error.code).toBe('not-found');
    expect(error.message).toBe('No such container: web');
  });
});

describe('toEngineError', () => {
  it('returns an EngineError unchanged', () => {
    const original = new EngineError('in-use', 'busy');
    expect(toEngineError(original, 'remove container web')).toBe(original);
  });

  it.each([
    [400, 'invalid-argument'],
    [404, 'not-found'],
    [409, 'conflict'],
  ] as const)('maps HTTP %i to %s and keeps the engine message', (status, code) => {
    const error = toEngineError(modemError(status, 'No such container: web'), 'start container web');
    expect(error.code).toBe(code);
    expect(error.message).toBe('No such container: web');
  });

  it('maps 304 to a conflict that says nothing was done', () => {
    const error = toEngineError(modemError(304, '', null), 'start container web');
    expect(error.code).toBe('conflict');
    expect(error.message).toBe('Nothing to do: start container web (already in that state).');
  });

  it('turns other statuses into engine-error naming the action', () => {
    const error = toEngineError(modemError(500, 'driver failed'), 'remove volume data');
    expect(error.code).toBe('engine-error');
    expect(error.message).toBe('Could not remove volume data: driver failed');
  });

  it('strips dockerode\'s "(HTTP code N) reason -" prefix when there is no JSON body', () => {
    const error = toEngineError(modemError(404, 'page not found', null), 'list images');
    expect(error).toMatchObject({ code: 'not-found', message: 'page not found' });
  });

  it.each(['ECONNREFUSED', 'ENOENT', 'EACCES', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH'])(
    'treats the socket error %s as unreachable',
    (code) => {
      const error = toEngineError(Object.assign(new Error(`connect ${code} /run/docker.sock`), { code }), 'list containers');
      expect(error.code).toBe('unreachable');
      expect(error.message).toBe(`The engine is unreachable (${code}) while trying to list containers.`);
    },
  );

  it('copes with things that are not errors', () => {
    expect(toEngineError(undefined, 'list volumes')).toMatchObject({ code: 'engine-error' });
    expect(toEngineError('boom', 'list volumes')).toMatchObject({
      code: 'engine-error',
      message: expect.stringMatching(/^Could not list volumes: /) as string,
    });
  });
});

describe('a full engine disk', () => {
  const enospc = 'mkdir /var/lib/docker/overlay2/3f2a-init: no space left on device';

  it.each([500, 400])('is disk-full whatever the status (%i), naming the action and keeping the engine text', (status) => {
    const error = toEngineError(modemError(status, enospc), 'create the container');
    expect(error).toMatchObject({
      code: 'disk-full',
      message: `Could not create the container: the engine's disk is full (${enospc}).`,
    });
  });

  it('is recognised in any error that carries the text, and not in others', () => {
    expect(
      isDiskFullError(
        new EngineError('engine-error', `The build failed at step 2/3 (RUN x): write /tmp/a: No space left on device`),
      ),
    ).toBe(true);
    expect(isDiskFullError(new EngineError('disk-full', 'full'))).toBe(true);
    expect(isDiskFullError(new Error(enospc))).toBe(true);
    expect(isDiskFullError(new EngineError('engine-error', 'driver failed'))).toBe(false);
    expect(isDiskFullError(undefined)).toBe(false);
  });
});
