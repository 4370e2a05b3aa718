import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { EngineConnection } from '../core/index.js';
import { DEBUG_LABEL } from './debug-shell.js';
import { TerminalSessionManager, type TerminalFrame, type TerminalRequest } from './terminal-session-manager.js';
import { connectTestEngine, engineError, isRunningPerCli, removeContainers } from '../testing/engine-fixture.js';
import { uniqueName } from '../testing/names.js';
import { BUSYBOX_IMAGE, NO_SHELL_IMAGE, dockerCli } from '../testing/test-images.js';
import { waitFor } from '../testing/wait-for.js';

const dockerHost = inject('dockerHost');
const socketPath = inject('socketPath');
const SIZE = { cols: 80, rows: 24 };

/** Attaches and records every frame in the background; abort() detaches. */
function watch(manager: TerminalSessionManager, id: string) {
  const controller = new AbortController();
  const record = { frames: [] as TerminalFrame[], text: '', done: false };
  const decoder = new TextDecoder(); // a character may be split between frames
  void (async () => {
    for await (const frame of manager.attach(id, controller.signal)) {
      record.frames.push(frame);
      if (frame.kind !== 'ended') record.text += decoder.decode(frame.data, { stream: true });
    }
    record.done = true;
  })();
  return { record, detach: () => controller.abort() };
}

const token = () => randomBytes(5).toString('hex');
/** Quotes split the word: only the shell's output has it whole, the TTY's echo does not. */
const echoCommand = (word: string) => `echo "${word.slice(0, 3)}""${word.slice(3)}"\r`;

describe('TerminalSessionManager (real dockerd)', () => {
  let connection: EngineConnection;
  let manager: TerminalSessionManager;
  const containers: string[] = [];

  async function run(args: string[]): Promise<string> {
    const name = uniqueName('tsm');
    containers.push(name);
    await dockerCli(dockerHost, ['run', '-d', '--name', name, ...args]);
    return name;
  }
  const shellIn = (containerId: string, extra: Partial<TerminalRequest> = {}) =>
    manager.open({ containerId, mode: 'shell', ...extra }, SIZE);
  const debugLeftovers = async () => (await dockerCli(dockerHost, ['ps', '-aq', '--filter', `label=${DEBUG_LABEL}`])).trim();

  beforeAll(async () => {
    connection = await connectTestEngine(socketPath);
    manager = new TerminalSessionManager(connection);
  });
  afterEach(async () => {
    await manager.closeAll();
    await removeContainers(dockerHost, containers.splice(0));
  });
  afterAll(() => connection.dispose());

  it('keeps output while nobody watches and replays it on attach, then live output', async () => {
    const container = await run([BUSYBOX_IMAGE, 'sleep', '3600']);
    const info = await shellIn(container);
    expect(info).toMatchObject({ containerName: container, mode: 'shell', state: 'running', title: `${container}: /bin/sh` });
    const first = watch(manager, info.id);
    const before = `a${token()}`;
    manager.write(info.id, echoCommand(before));
    await waitFor('the first word', () => first.record.text.includes(before));
    first.detach();
    await waitFor('the detach', () => first.record.done);

    const unseen = `b${token()}`;
    manager.write(info.id, echoCommand(unseen)); // printed while detached
    const second = watch(manager, info.id);
    await waitFor('the word printed while detached', () => second.record.text.includes(unseen));
    expect(second.record.frames[0]).toMatchObject({ kind: 'snapshot' });
    expect(second.record.text).toContain(before);
    expect(manager.list().map((session) => session.id)).toEqual([info.id]);
    second.detach();
  });

  it('says the session ended when the container restarts, and close() forgets it', async () => {
    const container = await run([BUSYBOX_IMAGE, 'sleep', '3600']);
    const info = await shellIn(container);
    const watcher = watch(manager, info.id);
    await dockerCli(dockerHost, ['restart', '-t', '0', container]);
    await waitFor('the ended frame', () => watcher.record.done);
    const ended = watcher.record.frames.at(-1);
    expect(ended).toMatchObject({ kind: 'ended', session: { state: 'ended' } });
    expect(ended?.kind === 'ended' && ended.session.endReason).toMatch(new RegExp(`Container ${container} (restarted|stopped)`));
    expect(manager.list()[0]?.state).toBe('ended');
    await manager.close(info.id);
    expect(manager.list()).toEqual([]);
  });

  it('close() ends the shell for real', async () => {
    const container = await run([BUSYBOX_IMAGE, 'sleep', '3600']);
    const info = await shellIn(container);
    await manager.close(info.id);
    const processes = await dockerCli(dockerHost, ['exec', container, 'ps', '-o', 'args']);
    expect(processes.split('\n').filter((line) => /^\/bin\/sh/.test(line))).toEqual([]);
  });

  it('attaches to the main process TTY and detaching leaves the container running', async () => {
    const container = await run(['-it', BUSYBOX_IMAGE, 'sh']);
    const info = await manager.open({ containerId: container, mode: 'attach' }, SIZE);
    const watcher = watch(manager, info.id);
    const word = `c${token()}`;
    manager.write(info.id, echoCommand(word));
    await waitFor('the main shell to answer', () => watcher.record.text.includes(word));
    manager.write(info.id, '\x10\x11'); // Ctrl-P Ctrl-Q
    await waitFor('the detach', () => watcher.record.done);
    const ended = watcher.record.frames.at(-1);
    expect(ended?.kind === 'ended' && ended.session.endReason).toBe(`Detached from ${container}; the container keeps running.`);
    expect(await isRunningPerCli(dockerHost, container)).toBe(true);
  });

  it('refuses to attach to a container without a TTY, saying why', async () => {
    const container = await run([BUSYBOX_IMAGE, 'sleep', '3600']);
    const error = await engineError(manager.open({ containerId: container, mode: 'attach' }, SIZE));
    expect(error.message).toContain('was not started with a terminal');
  });

  it('a debug shell into a running shell-less container shares its processes and sees its files, and is cleaned up', async () => {
    const container = await run([NO_SHELL_IMAGE]);
    const info = await manager.open({ containerId: container, mode: 'debug' }, SIZE);
    expect(info.note).toContain('helper container');
    const watcher = watch(manager, info.id);
    manager.write(info.id, 'ps -o args; ls /proc/1/root/\r');
    await waitFor(
      'the target process and its busybox',
      () => /\/busybox sleep 3600/.test(watcher.record.text) && /\bbusybox\b/.test(watcher.record.text),
    );
    expect(await debugLeftovers()).not.toBe('');
    await manager.close(info.id);
    expect(await debugLeftovers()).toBe('');
  });

  it('a debug shell into a stopped container runs in a committed copy, and is cleaned up', async () => {
    const name = uniqueName('tsm-stopped');
    containers.push(name);
    await dockerCli(dockerHost, ['create', '--name', name, NO_SHELL_IMAGE]);
    const info = await manager.open({ containerId: name, mode: 'debug' }, SIZE);
    expect(info.note).toContain('is stopped, so it was committed');
    const watcher = watch(manager, info.id);
    manager.write(info.id, 'ls /\r');
    await waitFor('the stopped container files', () => watcher.record.text.includes('busybox'));
    await manager.close(info.id);
    expect(await debugLeftovers()).toBe('');
    expect(await isRunningPerCli(dockerHost, name)).toBe(false);
  });

  it.each([
    [{ user: 'nobody2' }, 'User "nobody2" does not exist in container'],
    [{ shell: '/bin/zsh' }, '/bin/zsh does not exist in container'],
    [{ workdir: '/nonexistent' }, 'The working directory /nonexistent does not exist in container'],
  ])('bad input %j gets a specific message', async (extra, message) => {
    const container = await run([BUSYBOX_IMAGE, 'sleep', '3600']);
    const error = await engineError(shellIn(container, extra));
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toContain(message);
    expect(manager.list()).toEqual([]);
  });

  it('runs as the chosen user in the chosen directory', async () => {
    const container = await run([BUSYBOX_IMAGE, 'sleep', '3600']);
    const info = await shellIn(container, { user: '65534', workdir: '/tmp' });
    const watcher = watch(manager, info.id);
    manager.write(info.id, 'echo "[$(id -u)@$(pwd)]"\r');
    await waitFor('the user and directory', () => watcher.record.text.includes('[65534@/tmp]'));
  });

  it('a resize to zero is ignored, not sent', async () => {
    const container = await run([BUSYBOX_IMAGE, 'sleep', '3600']);
    const info = await shellIn(container);
    await manager.resize(info.id, { cols: 0, rows: -3 });
    const watcher = watch(manager, info.id);
    manager.write(info.id, 'stty size\r');
    await waitFor('the size unchanged', () => /\b24 80\r?\n/.test(watcher.record.text));
  });
});
