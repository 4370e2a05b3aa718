import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineVm } from '../qemu/engine-vm.js';
import { BootSnapshotStore, resumeGuest, resumeLine } from './boot-snapshots.js';
import type { SnapshotKey } from './snapshot-key.js';

const key: SnapshotKey = { qemu: 'qemu 10.0.2', image: 'i', machine: 'm', configuration: 'c' };

/** An EngineVm whose saveState writes (or fails to write) the file, as QEMU's migrate would. */
function fakeVm(save: (file: string) => Promise<void>): EngineVm {
  return { saveState: save } as unknown as EngineVm;
}

let dir: string;
let store: BootSnapshotStore;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-snapshots-'));
  store = new BootSnapshotStore(path.join(dir, 'snapshot'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('BootSnapshotStore', () => {
  it('plans a save when there is none, and a restore of the one saved under the same key', async () => {
    expect(store.plan(key)).toEqual({ kind: 'save', key, discarded: null });
    await store.save(
      fakeVm(async (file) => fs.writeFileSync(file, 'state')),
      key,
    );
    expect(store.plan(key)).toEqual({ kind: 'restore', key, file: store.stateFile });
    expect(store.storedBytes).toBeGreaterThan(0); // disk space taken: a block at least
  });

  it('deletes a snapshot that does not fit, and says why', async () => {
    await store.save(
      fakeVm(async (file) => fs.writeFileSync(file, 'state')),
      key,
    );
    const plan = store.plan({ ...key, qemu: 'qemu 10.1.0' });
    expect(plan).toMatchObject({ kind: 'save', discarded: 'it was made by qemu 10.0.2, and this boot runs qemu 10.1.0' });
    expect(fs.existsSync(store.stateFile)).toBe(false);
    expect(store.plan(key)).toMatchObject({ kind: 'save', discarded: null });
  });

  it('keeps nothing of a save that failed halfway, and never restores a state file without its key', async () => {
    const failing = fakeVm(async (file) => {
      fs.writeFileSync(file, 'half');
      throw new Error("QEMU's migrate failed: disk full");
    });
    await expect(store.save(failing, key)).rejects.toThrow('disk full');
    expect(fs.readdirSync(store.dir)).toEqual([]);
    fs.writeFileSync(store.stateFile, 'left over');
    expect(store.plan(key)).toMatchObject({ kind: 'save', discarded: null });
    // A key without the size it was saved at (an older key file) is not trusted either.
    fs.writeFileSync(store.stateFile, 'left over');
    fs.writeFileSync(path.join(store.dir, 'key.json'), JSON.stringify(key));
    expect(store.plan(key)).toMatchObject({ kind: 'save', discarded: 'its state file has changed size since it was saved' });
  });

  it('deletes a snapshot whose state file is not the size it was saved at, or is gone', async () => {
    await store.save(
      fakeVm(async (file) => fs.writeFileSync(file, Buffer.alloc(10_000, 7))),
      key,
    );
    fs.truncateSync(store.stateFile, 9_000); // cut short
    expect(store.plan(key)).toMatchObject({ kind: 'save', discarded: 'its state file has changed size since it was saved' });
    await store.save(
      fakeVm(async (file) => fs.writeFileSync(file, 'state')),
      key,
    );
    fs.rmSync(store.stateFile);
    expect(store.plan(key)).toMatchObject({ kind: 'save', discarded: 'its state file is missing' });
    expect(fs.readdirSync(store.dir)).toEqual([]);
  });

  it('treats a damaged key file as a snapshot to delete', async () => {
    await store.save(
      fakeVm(async (file) => fs.writeFileSync(file, 'state')),
      key,
    );
    fs.writeFileSync(path.join(store.dir, 'key.json'), '{"qemu": 1');
    expect(store.plan(key)).toMatchObject({ kind: 'save', discarded: 'its key file is damaged' });
    expect(fs.existsSync(store.stateFile)).toBe(false);
  });

  it('says why when a boot cannot use snapshots', () => {
    expect(store.plan({ unavailable: 'QEMU 7.2.22 cannot' })).toEqual({ kind: 'off', reason: 'QEMU 7.2.22 cannot' });
  });
});

describe('the resume line', () => {
  it('carries the clock to the nanosecond and 64 fresh random bytes', () => {
    const line = resumeLine(1_796_675_642_821.25, Buffer.alloc(64, 0xab));
    expect(line).toBe(`1796675642 821250000 ${'ab'.repeat(64)}\n`);
    const [, , first] = resumeLine().trim().split(' ');
    const [, , second] = resumeLine().trim().split(' ');
    expect(first).toMatch(/^[0-9a-f]{128}$/);
    expect(second).not.toBe(first);
  });

  it("is written to QEMU's end of the resume port, which stays open until the boot is past it", async () => {
    const socketPath = path.join(dir, 'resume.sock');
    const received: string[] = [];
    let closed = false;
    const server = net.createServer((socket) => {
      socket.on('data', (data) => received.push(data.toString()));
      socket.on('close', () => (closed = true));
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    const close = await resumeGuest(socketPath);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received.join('')).toMatch(/^\d+ \d+ [0-9a-f]{128}\n$/);
    expect(closed).toBe(false);
    close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(true);
    server.close();
  });

  it('fails when nothing serves the port', async () => {
    await expect(resumeGuest(path.join(dir, 'none.sock'))).rejects.toThrow(/ENOENT/);
  });
});
