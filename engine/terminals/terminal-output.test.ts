import { Readable } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { TerminalOutputReader } from './terminal-output.js';

/** A socket as the reader sees it: writes wait "in the kernel" until a read, which takes them all at once. */
class FakeSocket extends Readable {
  reads = 0;
  private kernel: Buffer[] = [];
  private wanted = false;

  send(data: string | Buffer): void {
    this.kernel.push(Buffer.from(data));
    if (this.wanted) this.deliver();
  }

  /** The other end closes: what waits is still delivered, then the end. */
  finish(): void {
    if (this.kernel.length > 0) this.push(Buffer.concat(this.kernel.splice(0)));
    this.push(null);
  }

  override _read(): void {
    this.wanted = true;
    if (this.kernel.length > 0) this.deliver();
  }

  private deliver(): void {
    this.wanted = false;
    this.reads += 1;
    this.push(Buffer.concat(this.kernel.splice(0)));
  }
}

const text = (bytes: Buffer) => bytes.toString('utf8');

describe('TerminalOutputReader', () => {
  it('reads on demand: a pull takes everything written since the last one, in one read', async () => {
    const socket = new FakeSocket();
    const reader = new TerminalOutputReader(socket);
    expect(socket.readableHighWaterMark).toBe(1);
    socket.send('$ ');
    expect(text(await reader.take())).toBe('$ ');
    const readsBefore = socket.reads;
    for (let write = 0; write < 1000; write += 1) socket.send('y\r\n');
    await tick();
    expect(text(await reader.take())).toBe('y\r\n'.repeat(1000));
    expect(socket.reads - readsBefore).toBeLessThanOrEqual(2); // not one per write
  });

  it('passes bytes through as they came, a UTF-8 character split across reads included (xterm joins it)', async () => {
    const socket = new FakeSocket();
    const reader = new TerminalOutputReader(socket);
    const pieces: Buffer[] = [];
    for (const byte of Buffer.from('héllo ✓', 'utf8')) {
      socket.send(Buffer.from([byte]));
      pieces.push(await Promise.race([reader.take(), tick().then(() => Buffer.alloc(0))]));
    }
    expect(pieces.filter((piece) => piece.length > 0)).toHaveLength(Buffer.byteLength('héllo ✓'));
    expect(text(Buffer.concat(pieces))).toBe('héllo ✓');
  });

  it('reads the first line apart, and leaves the rest', async () => {
    const socket = new FakeSocket();
    const reader = new TerminalOutputReader(socket);
    socket.send('12');
    const line = reader.readLine();
    await tick();
    socket.send('34\r\n$ prompt');
    expect(await line).toBe('1234\r\n');
    expect(text(await reader.take())).toBe('$ prompt');
  });

  it('readLine decodes the line and leaves the bytes after it as they are, half a character included', async () => {
    const socket = new FakeSocket();
    const reader = new TerminalOutputReader(socket);
    const check = Buffer.from('✓', 'utf8');
    socket.send(Buffer.concat([Buffer.from('pid ✓\n'), check.subarray(0, 1)]));
    expect(await reader.readLine()).toBe('pid ✓\n');
    socket.send(check.subarray(1));
    await tick();
    expect(await reader.take()).toEqual(check);
  });

  it('without a line feed, readLine gives what there was when the stream ended', async () => {
    const socket = new FakeSocket();
    const reader = new TerminalOutputReader(socket);
    socket.send('OCI runtime exec failed: exec: "/bin/zsh": no such file or directory');
    socket.finish();
    expect(await reader.readLine()).toContain('/bin/zsh');
    expect((await reader.take()).length).toBe(0);
  });

  it('ends when the stream breaks', async () => {
    const socket = new FakeSocket();
    const reader = new TerminalOutputReader(socket);
    socket.send('last');
    const pieces: string[] = [];
    const reading = (async () => {
      for await (const piece of reader) pieces.push(text(piece));
    })();
    await tick();
    socket.destroy(new Error('socket hang up'));
    await reading;
    expect(pieces).toEqual(['last']);
  });
});
