import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { berthStateDir, ensureBerthStateDir } from '../../app/state-dir.js';
import { HostSocketProxy } from './host-socket.js';
import { ensurePrivateFolder, UnsafeFolderError, unsafeFolderProblem } from './private-folder.js';

const isRoot = process.getuid?.() === 0;
/** A uid no one on a test machine is: the folder belongs to "another user". */
const OTHER_UID = 54_321;

describe('ensurePrivateFolder', () => {
  let root: string;
  beforeEach(() => void (root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-private-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const folder = (mode: number) => {
    const dir = path.join(root, `state-${mode.toString(8)}`);
    fs.mkdirSync(dir);
    fs.chmodSync(dir, mode);
    return dir;
  };
  const refusal = (dir: string) => {
    try {
      ensurePrivateFolder('its state folder', dir);
    } catch (error) {
      expect(error).toBeInstanceOf(UnsafeFolderError);
      return (error as Error).message;
    }
    return null;
  };

  it('creates a missing folder, nested, with mode 0700', () => {
    const dir = path.join(root, 'a', 'b', 'berth');
    ensurePrivateFolder('its state folder', dir);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
  });

  it.each(['0700', '0755', '0750'])('accepts our own folder with mode %s (nobody else may write)', (mode) => {
    expect(refusal(folder(parseInt(mode, 8)))).toBeNull();
  });

  it.each([
    ['0777', 'its group and everyone'],
    ['0770', 'its group'],
    ['0702', 'everyone'],
    ['1777', 'its group and everyone'],
  ])('refuses a folder with mode %s (writable by %s), naming who may write, the mode and the fix', (mode, who) => {
    const dir = folder(parseInt(mode, 8));
    expect(refusal(dir)).toBe(
      `Berth will not start: its state folder ${dir} may be written by ${who} (mode ${mode}), ` +
        `so other users could change what Berth runs. Fix: chmod 700 ${dir}`,
    );
  });

  it.skipIf(!isRoot)('refuses a folder another user owns, naming the owner and the fix (test runs as root to chown)', () => {
    const dir = folder(0o700);
    fs.chownSync(dir, OTHER_UID, OTHER_UID);
    const message = refusal(dir);
    expect(message).toContain(`its state folder ${dir} belongs to uid ${OTHER_UID}, not to you (`);
    expect(message).toContain(`Fix: chown -R ${process.getuid!()} ${dir}`);
  });

  it('names a known owner by name', () => {
    const facts = { uid: 0, mode: 0o40700, isDirectory: () => true };
    expect(unsafeFolderProblem('its state folder', '/x', facts, 1_000)).toMatch(/belongs to root \(uid 0\), not to you/);
    expect(unsafeFolderProblem('its state folder', '/x', facts, 0)).toBeNull();
  });

  it('refuses a file where the folder should be', () => {
    const file = path.join(root, 'berth');
    fs.writeFileSync(file, '');
    expect(() => ensurePrivateFolder('its state folder', file)).toThrow(/EEXIST|is not a folder/);
  });

  describe('where Berth uses it', () => {
    const saved = process.env.XDG_STATE_HOME;
    afterEach(() => {
      if (saved === undefined) delete process.env.XDG_STATE_HOME;
      else process.env.XDG_STATE_HOME = saved;
    });

    it('the state folder: created 0700 when missing, refused when world-writable', () => {
      process.env.XDG_STATE_HOME = root;
      expect(ensureBerthStateDir()).toBe(path.join(root, 'berth'));
      expect(fs.statSync(berthStateDir()).mode & 0o777).toBe(0o700);
      fs.chmodSync(berthStateDir(), 0o777);
      expect(() => ensureBerthStateDir()).toThrow(`Fix: chmod 700 ${path.join(root, 'berth')}`);
    });

    it("the engine's host socket: not opened in a folder others may write to", async () => {
      const dir = folder(0o777);
      await expect(HostSocketProxy.listen({ socketPath: path.join(dir, 'docker.sock'), target: () => null })).rejects.toThrow(
        `the engine's host socket folder ${dir} may be written by its group and everyone`,
      );
      expect(fs.existsSync(path.join(dir, 'docker.sock'))).toBe(false);
    });

    it.skipIf(!isRoot)("the engine's host socket: not opened in a folder another user owns", async () => {
      const dir = folder(0o700);
      fs.chownSync(dir, OTHER_UID, OTHER_UID);
      await expect(HostSocketProxy.listen({ socketPath: path.join(dir, 'docker.sock'), target: () => null })).rejects.toThrow(
        `belongs to uid ${OTHER_UID}`,
      );
    });
  });
});
