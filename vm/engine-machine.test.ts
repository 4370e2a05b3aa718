import { describe, expect, it } from 'vitest';
import { dockerHostUrl, localSocketEndpoint } from './engine-machine.js';

describe('the local socket as DOCKER_HOST and as an endpoint', () => {
  it('names a unix socket with unix://', () => {
    expect(dockerHostUrl('/home/me/.local/state/berth/vm/docker.sock')).toBe('unix:///home/me/.local/state/berth/vm/docker.sock');
    expect(localSocketEndpoint('/run/b.sock')).toEqual({ kind: 'unix', socketPath: '/run/b.sock' });
  });

  it('names a Windows named pipe the way the docker CLI spells it', () => {
    expect(dockerHostUrl('\\\\.\\pipe\\berth-engine')).toBe('npipe:////./pipe/berth-engine');
    expect(dockerHostUrl('//./pipe/berth-engine')).toBe('npipe:////./pipe/berth-engine');
    expect(localSocketEndpoint('\\\\.\\pipe\\berth-engine')).toEqual({ kind: 'npipe', pipePath: '//./pipe/berth-engine' });
  });
});
