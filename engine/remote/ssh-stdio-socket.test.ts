/**
 * The ssh connection as a socket, with a real child standing in for ssh: a write that meets a closed
 * pipe before ssh's exit is seen still fails with ssh's own reason, as the UI shows it.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SshStdioSocket } from './ssh-stdio-socket.js';

/** Closes its stdin at once (writes then fail with EPIPE), says why a moment later and exits as ssh does. */
function refusedSsh() {
  return spawn(
    'sh',
    ['-c', "exec 0<&-; sleep 0.3; echo 'ssh: connect to host 127.0.0.1 port 39441: Connection refused' >&2; exit 255"],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
}

describe('SshStdioSocket', () => {
  it("fails a write to an ssh that is gone with ssh's reason, not the pipe's EPIPE", async () => {
    const socket = new SshStdioSocket(refusedSsh(), 'ssh://root@127.0.0.1:39441');
    const failed = new Promise<Error>((resolve) => socket.once('error', resolve));
    await new Promise((resolve) => setTimeout(resolve, 100)); // stdin is closed by now, ssh not yet gone
    socket.write('GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n');
    const error = await failed;
    expect(error.message).toBe('Cannot reach ssh://root@127.0.0.1:39441: Connection refused.');
    expect((error as { code?: string }).code).toBe('ESSHDIAL');
  });
});
