import { describe, expect, it } from 'vitest';
import { shortenSshError } from './ssh-error.js';

describe('shortenSshError', () => {
  it.each([
    [
      "Warning: Permanently added '[127.0.0.1]:2222' (ED25519) to the list of known hosts.\r\nme@127.0.0.1: Permission denied (publickey).\r\n",
      'Permission denied (publickey)',
    ],
    ['ssh: connect to host 127.0.0.1 port 1: Connection refused\r\n', 'Connection refused'],
    ['Host key verification failed.\r\n', 'Host key verification failed'],
    ['ssh: connect to host 10.255.255.1 port 22: Connection timed out\r\n', 'Connection timed out'],
    [
      'ssh: Could not resolve hostname nowhere.invalid: Name or service not known\r\n',
      'Could not resolve hostname nowhere.invalid: Name or service not known',
    ],
    ['bash: line 1: docker: command not found\n', 'docker: command not found'],
    [
      'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n',
      'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
    ],
    [
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\nHost key verification failed.\n',
      'Host key verification failed',
    ],
  ])('keeps the line that matters of %j', (stderr, expected) => {
    expect(shortenSshError(stderr)).toBe(expected);
  });

  it('falls back to the last line that is not a warning, without ssh: prefix', () => {
    expect(shortenSshError('Warning: something\nssh: some new failure.\n')).toBe('some new failure');
  });

  it('says so when ssh said nothing', () => {
    expect(shortenSshError('Warning: only this\n')).toBe('ssh ended without saying why');
  });
});
