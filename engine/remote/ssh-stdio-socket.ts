/**
 * One HTTP connection to a remote engine: a child `ssh … docker system dial-stdio`, its stdin and stdout
 * seen as a socket. Node's http client and agent call a few net.Socket methods (setKeepAlive, ref,
 * setTimeout); they are here too. When ssh fails before the engine said anything, the socket fails
 * with ssh's own reason, shortened, instead of the http client's "socket hang up".
 */
import type { ChildProcessByStdio } from 'node:child_process';
import { Duplex } from 'node:stream';
import type { Readable, Writable } from 'node:stream';
import { shortenSshError } from './ssh-error.js';

const STDERR_KEPT = 8 * 1024;

export class SshDialError extends Error {
  readonly code = 'ESSHDIAL';
}

type SshChild = ChildProcessByStdio<Writable, Readable, Readable>;

export class SshStdioSocket extends Duplex {
  private stderr = '';
  private answered = false;
  /** The ssh process has exited and its pipes are closed. */
  private sshExited = false;
  private idleMs = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly child: SshChild,
    /** Names the engine in the error: "ssh://me@host". */
    private readonly where: string,
  ) {
    super({ allowHalfOpen: false });
    child.stdout.on('data', (chunk: Buffer) => {
      this.answered = true;
      this.touch();
      if (!this.push(chunk)) child.stdout.pause();
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      this.stderr = (this.stderr + text).slice(-STDERR_KEPT);
    });
    // A write after ssh is gone fails here; the close below says why.
    child.stdin.on('error', () => undefined);
    child.on('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'ENOENT' ? 'ssh is not installed (no ssh command on the PATH)' : error.message;
      this.destroy(new SshDialError(`Cannot reach ${where}: ${reason}.`));
    });
    // 'close', not stdout's 'end': only then is all of stderr read and the exit code known.
    child.on('close', (code) => {
      this.sshExited = true;
      clearTimeout(this.idleTimer);
      if (code !== 0 && code !== null && !this.answered) {
        this.destroy(new SshDialError(`Cannot reach ${where}: ${shortenSshError(this.stderr)}.`));
      } else {
        this.push(null);
      }
    });
  }

  override _read(): void {
    this.child.stdout.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.touch();
    this.child.stdin.write(chunk, (error) => {
      if (!error) return callback();
      // ssh is gone (EPIPE, often before its exit is seen): its close, with its stderr read, says why in
      // ssh's own words ("Connection refused."), not the pipe's "write EPIPE". Until then the write waits.
      if (this.sshExited) return callback(this.destroyed ? null : error);
      this.child.once('close', () => setImmediate(() => callback(this.destroyed ? null : error)));
    });
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.child.stdin.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.idleTimer);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
    callback(error);
  }

  // What net.Socket offers and http uses.
  setTimeout(ms: number, callback?: () => void): this {
    this.idleMs = ms;
    if (callback) this.once('timeout', callback);
    this.touch();
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  ref(): this {
    this.child.ref();
    for (const pipe of [this.child.stdin, this.child.stdout, this.child.stderr]) (pipe as { ref?: () => void }).ref?.();
    return this;
  }
  /** An idle pooled connection must not keep Node running. */
  unref(): this {
    this.child.unref();
    for (const pipe of [this.child.stdin, this.child.stdout, this.child.stderr]) (pipe as { unref?: () => void }).unref?.();
    return this;
  }

  private touch(): void {
    clearTimeout(this.idleTimer);
    if (this.idleMs > 0) this.idleTimer = setTimeout(() => this.emit('timeout'), this.idleMs).unref();
  }
}
