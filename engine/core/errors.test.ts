import { describe, expect, it } from 'vitest';
import { EngineError, engineStoppedError, isDiskFullError, isEngineCutOff, toEngineError } from './errors.js';

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
    const error = toEngineError(
      modemError(status, 'Conflict. The container name "/web" is already in use'),
      'start container web',
    );
    expect(error.code).toBe(code);
    expect(error.message).toBe('Conflict. The container name "/web" is already in use');
  });

  it("says the engine's 404 for a missing thing as a sentence", () => {
    expect(toEngineError(modemError(404, 'No such container: web'), 'start container web').message).toBe(
      'There is no container web.',
    );
    expect(toEngineError(modemError(404, 'No such image: busybox:latest'), 'remove image busybox').message).toBe(
      'There is no image busybox:latest.',
    );
    expect(toEngineError(modemError(404, 'get cache: no such volume'), 'remove volume cache').message).toBe(
      'There is no volume cache.',
    );
    expect(toEngineError(modemError(404, 'page not found'), 'inspect').message).toBe('page not found');
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

describe('a stream the engine stopped serving', () => {
  it('is told by what Node says of a response cut off mid-way, not by other failures', () => {
    // What an http.IncomingMessage emits when the engine's socket closes before the response's end.
    expect(isEngineCutOff(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isEngineCutOff(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toBe(true);
    expect(isEngineCutOff(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }))).toBe(true);
    expect(isEngineCutOff(new Error('socket hang up'))).toBe(true);
    expect(isEngineCutOff(modemError(500, 'manifest unknown'))).toBe(false);
    expect(isEngineCutOff(new EngineError('unreachable', 'aborted'))).toBe(false);
    expect(isEngineCutOff(undefined)).toBe(false);
  });

  it('ends with a sentence naming what was under way and what to do', () => {
    expect(engineStoppedError('during the pull of app:1', 'pull again')).toEqual(
      new EngineError(
        'unreachable',
        'The engine stopped during the pull of app:1. Berth reconnects when it runs again; then pull again.',
      ),
    );
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
