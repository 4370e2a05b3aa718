import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { EngineConnection } from '../core/index.js';
import { ShellExecService, type TerminalSession } from './shell-exec.js';
import { connectTestEngine, engineError, removeContainers } from '../testing/engine-fixture.js';
import { uniqueName } from '../testing/names.js';
import { BUSYBOX_IMAGE, NO_SHELL_IMAGE, dockerCli } from '../testing/test-images.js';
import { waitFor } from '../testing/wait-for.js';

const dockerHost = inject('dockerHost');
const socketPath = inject('socketPath');

interface ProcessLine {
  pid: number;
  args: string;
}

/** The container's processes as its own `ps` sees them (the exec running ps is left out). */
async function processesIn(container: string): Promise<ProcessLine[]> {
  const output = await dockerCli(dockerHost, ['exec', container, 'ps', '-o', 'pid,args']);
  return output
    .split('\n')
    .slice(1)
    .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ pid: Number(match[1]), args: match[2]!.trim() }))
    .filter((process) => !process.args.startsWith('ps '));
}

const shells = (processes: ProcessLine[]) => processes.filter((process) => /^(\/bin\/)?sh( |$)/.test(process.args));

/** Collects a session's output in the background, so a test can wait for text to appear. */
function recordOutput(session: TerminalSession) {
  const record = { text: '', ended: false };
  const decoder = new TextDecoder(); // a character may be split between chunks
  void (async () => {
    for await (const chunk of session.output) record.text += decoder.decode(chunk, { stream: true });
    record.ended = true;
  })();
  return record;
}

describe('ShellExecService (real dockerd)', () => {
  let connection: EngineConnection;
  let terminals: ShellExecService;
  const containers: string[] = [];

  async function runContainer(image = BUSYBOX_IMAGE, command: string[] = ['sleep', '3600']): Promise<string> {
    const name = uniqueName('term');
    containers.push(name);
    await dockerCli(dockerHost, ['run', '-d', '--name', name, image, ...command]);
    return name;
  }

  beforeAll(async () => {
    connection = await connectTestEngine(socketPath);
    terminals = new ShellExecService(connection);
  });
  afterEach(async () => {
    await terminals.closeAll();
    await removeContainers(dockerHost, containers.splice(0));
  });
  afterAll(() => connection.dispose());

  it('opens /bin/sh in a running container and runs what is typed', async () => {
    const container = await runContainer();
    const session = await terminals.open(container, { cols: 80, rows: 24 });
    expect(session.shell).toBe('/bin/sh');
    expect(session.containerId).toBe(container);
    expect(terminals.get(session.id)).toBe(session);
    expect(shells(await processesIn(container))).toEqual([{ pid: session.pid, args: '/bin/sh' }]);

    const output = recordOutput(session);
    const token = randomBytes(6).toString('hex');
    // Split by quotes: the TTY's echo of the typed line shows `"berth-""…"`, only running it prints berth-….
    session.write(`echo "berth-""${token}"\r`);
    await waitFor(`berth-${token} in the output`, () => output.text.includes(`berth-${token}`));
  });

  it('opens at the asked size and follows resize, as stty inside sees it', async () => {
    const container = await runContainer();
    const session = await terminals.open(container, { cols: 91, rows: 31 });
    const output = recordOutput(session);
    session.write('stty size\r');
    await waitFor('the opening size', () => /\b31 91\r?\n/.test(output.text));

    await session.resize({ cols: 132, rows: 43 });
    session.write('stty size\r');
    await waitFor('the new size', () => /\b43 132\r?\n/.test(output.text));

    await session.resize({ cols: 0, rows: 0 }); // a hidden terminal: ignored, not sent
    session.write('stty size\r');
    await waitFor('the size unchanged', () => output.text.split('43 132').length - 1 >= 2);
  });

  it('close() ends the shell for real: no shell is left in the container', async () => {
    const container = await runContainer();
    const session = await terminals.open(container, { cols: 80, rows: 24 });
    const output = recordOutput(session);
    expect(shells(await processesIn(container))).toHaveLength(1);

    await session.close();
    expect(shells(await processesIn(container))).toEqual([]);
    await expect(session.exited).resolves.toBeNull();
    await waitFor('the output to end', () => output.ended);
    expect(terminals.get(session.id)).toBeUndefined();
    expect(terminals.openSessionCount).toBe(0);
    await session.close(); // twice is harmless
  });

  it('close() also ends a command running in the shell (sleep 1000)', async () => {
    const container = await runContainer();
    const session = await terminals.open(container, { cols: 80, rows: 24 });
    session.write('sleep 1000\r');
    await waitFor('sleep 1000 to run', async () =>
      (await processesIn(container)).some((process) => process.args === 'sleep 1000'),
    );
    expect(shells(await processesIn(container))).toHaveLength(1);

    await session.close();
    const after = await processesIn(container);
    expect(shells(after)).toEqual([]);
    expect(after.filter((process) => process.args === 'sleep 1000')).toEqual([]);
    expect(after.map((process) => process.args)).toContain('sleep 3600'); // the container itself lives on
  });

  it('closeAll() ends every open shell', async () => {
    const container = await runContainer();
    await terminals.open(container, { cols: 80, rows: 24 });
    await terminals.open(container, { cols: 80, rows: 24 });
    expect(terminals.openSessionCount).toBe(2);
    expect(shells(await processesIn(container))).toHaveLength(2);
    await terminals.closeAll();
    expect(shells(await processesIn(container))).toEqual([]);
    await waitFor('the sessions to be forgotten', () => terminals.openSessionCount === 0);
  });

  it('reports the exit code when the shell ends by itself', async () => {
    const container = await runContainer();
    const session = await terminals.open(container, { cols: 80, rows: 24 });
    const output = recordOutput(session);
    session.write('exit 3\r');
    await expect(session.exited).resolves.toBe(3);
    await waitFor('the output to end', () => output.ended);
    await waitFor('the session to be forgotten', () => terminals.get(session.id) === undefined);
  });

  it('a container without a shell gives no-shell', async () => {
    const container = await runContainer(NO_SHELL_IMAGE, []);
    const error = await engineError(terminals.open(container, { cols: 80, rows: 24 }));
    expect(error.code).toBe('no-shell');
    expect(error.message).toContain(`Container ${container} has no shell to open`);
    expect(error.message).toContain('/bin/sh');
    expect(terminals.openSessionCount).toBe(0);
  });

  it('a stopped container gives not-running', async () => {
    const name = uniqueName('term-stopped');
    containers.push(name);
    await dockerCli(dockerHost, ['create', '--name', name, BUSYBOX_IMAGE, 'sleep', '3600']);
    const error = await engineError(terminals.open(name, { cols: 80, rows: 24 }));
    expect(error).toMatchObject({
      code: 'not-running',
      message: `Container ${name} is not running. Start it to open a terminal.`,
    });
  });

  it('an unknown container gives not-found', async () => {
    const ghost = uniqueName('ghost');
    const error = await engineError(terminals.open(ghost, { cols: 80, rows: 24 }));
    expect(error.code).toBe('not-found');
    expect(error.message).toContain(ghost);
  });
});
