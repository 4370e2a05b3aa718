/**
 * Every API and command-line entry of the bad-input catalogue, given for real: a Berth in browser mode
 * (its own process, a state folder of this test's) over the private dockerd, the API over its
 * WebSocket as the page speaks it, the command as bin/berth.js. Each must be refused with its
 * catalogued message, exactly (the UI entries are e2e/bad-input-catalogue.spec.ts's).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BUSYBOX_IMAGE, dockerCli } from '../../engine/testing/test-images.js';
import { waitFor } from '../../engine/testing/wait-for.js';
import { hostCapacity, maxVmMemoryMiB } from '../../vm/settings/vm-settings.js';
import type { ServerMessage } from '../contract/wire.js';
import { COMMANDS } from '../cli/commands/index.js';
import { runBerthCli } from '../cli/testing/berth-cli-process.js';
import { SETTING_KEYS } from '../contract/settings-contract.js';
import {
  connectRawClient,
  startBerthWebProcess,
  type BerthWebProcess,
  type RawApiClient,
} from '../web/testing/berth-web-process.js';
import { BAD_INPUTS, type BadInput, type BadInputDrive } from './bad-input-catalogue.js';
import { fillArgs, fillText, messagePattern, type PlaceholderValues } from './bad-input-message.js';

const dockerHost = inject('dockerHost');
const registry = inject('registry');
const CONTAINER = 'bad-inputs-web';
const VOLUME = 'bad-inputs-data';
const NETWORK = 'bad-inputs-net';
/** What the entries may leave behind when a refusal came later than it should. */
const LEFTOVER_CONTAINERS = [CONTAINER, 'bad-inputs-clash'];
const LEFTOVER_VOLUMES = [VOLUME, 'bad-inputs-imported'];
const LEFTOVER_NETWORKS = [NETWORK, 'bad-inputs-net2'];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function removeLeftovers(): Promise<void> {
  const quietly = (args: string[]) => dockerCli(dockerHost, args).catch(() => undefined);
  await quietly(['rm', '-f', ...LEFTOVER_CONTAINERS]);
  await quietly(['volume', 'rm', '-f', ...LEFTOVER_VOLUMES]);
  for (const network of LEFTOVER_NETWORKS) await quietly(['network', 'rm', network]);
}

let streamIds = 1_000_000;

/** A stream's end: the error it ended with, or the fact that it did not fail. Items are acked as they come. */
async function streamEnd(client: RawApiClient, stream: string, args: unknown): Promise<ServerMessage> {
  const id = streamIds++;
  const ended = client.waitFor((message) => {
    if (message.t === 'item' && message.id === id) client.send({ t: 'ack', id, count: 1 });
    return message.t === 'end' && message.id === id;
  }, 50_000);
  client.send({ t: 'subscribe', id, stream, args });
  const end = await ended;
  if (!end) throw new Error(`${stream} did not end within 50 s`);
  return end;
}

/** The message Berth answered a drive with, or a note that it did not refuse it. */
async function refusalOf(client: RawApiClient, drive: BadInputDrive, values: PlaceholderValues): Promise<string> {
  const describe = (reply: ServerMessage) =>
    (reply.t === 'error' || reply.t === 'end') && reply.error ? reply.error.message : `(not refused: ${JSON.stringify(reply)})`;
  switch (drive.kind) {
    case 'call':
      return describe(await client.call(drive.method, fillArgs(drive.args, values)));
    case 'stream':
      return describe(await streamEnd(client, drive.stream, fillArgs(drive.args, values)));
    case 'volume-import': {
      const begun = await client.call('volumes.importBegin', { name: drive.volume, size: drive.text.length });
      if (begun.t !== 'result') return describe(begun);
      const { importId } = begun.value as { importId: string };
      return describe(await client.call('volumes.importChunk', { importId, base64: Buffer.from(drive.text).toString('base64') }));
    }
    default:
      throw new Error(`${drive.kind} is not driven over the API`);
  }
}

describe('the bad-input catalogue against a real Berth (API and command line)', () => {
  let sandbox: string;
  let stateHome: string;
  let berth: BerthWebProcess;
  let client: RawApiClient;
  let values: PlaceholderValues;

  beforeAll(async () => {
    sandbox = mkdtempSync(join(tmpdir(), 'berth-bad-inputs-'));
    stateHome = join(sandbox, 'state');
    mkdirSync(stateHome, { mode: 0o700 });
    mkdirSync(join(sandbox, 'context'));
    mkdirSync(join(sandbox, 'broken'));
    writeFileSync(join(sandbox, 'context', 'Dockerfile'), `FROM ${BUSYBOX_IMAGE}\n`);
    writeFileSync(join(sandbox, 'broken', 'Dockerfile'), `FROM ${BUSYBOX_IMAGE}\nFORM ${BUSYBOX_IMAGE}\n`);
    writeFileSync(join(sandbox, 'notes.txt'), 'Notes: not a compose file, not a folder.\n');
    await removeLeftovers();
    const port = await freePort();
    // Stops at once on SIGTERM (busybox's sleep as PID 1 would hold `rm -f` for nothing).
    const loop = ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 1; done'];
    await dockerCli(dockerHost, ['run', '-d', '--name', CONTAINER, '-p', `${port}:80`, BUSYBOX_IMAGE, ...loop]);
    await dockerCli(dockerHost, ['volume', 'create', VOLUME]);
    await dockerCli(dockerHost, ['network', 'create', NETWORK]);
    berth = await startBerthWebProcess(dockerHost, { XDG_STATE_HOME: stateHome });
    client = await connectRawClient(berth, { keepReceived: false });
    const host = hostCapacity();
    values = {
      sandbox,
      container: CONTAINER,
      port,
      volume: VOLUME,
      network: NETWORK,
      registry,
      settingsFile: join(stateHome, 'berth', 'settings.json'),
      maxCpus: host.cpus,
      maxMemoryMiB: maxVmMemoryMiB(host),
      commands: COMMANDS.map((command) => command.name).join(', '),
      settingKeys: SETTING_KEYS.join(', '),
    };
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await berth?.stop();
    await removeLeftovers();
    if (sandbox) rmSync(sandbox, { recursive: true, force: true });
  });

  const byKind = (kinds: BadInputDrive['kind'][]) => BAD_INPUTS.filter((entry) => kinds.includes(entry.drive.kind));
  const expectMessage = (entry: BadInput, actual: string) =>
    expect(actual, `${entry.id}: ${entry.input}`).toMatch(messagePattern(entry.message, values));

  it.each(byKind(['call', 'stream', 'volume-import']).map((entry) => [entry.id, entry] as const))(
    'API %s',
    async (_id, entry) => {
      expectMessage(entry, await refusalOf(client, entry.drive, values));
    },
  );

  it.each(byKind(['cli']).map((entry) => [entry.id, entry] as const))('CLI %s', async (_id, entry) => {
    const drive = entry.drive as Extract<BadInputDrive, { kind: 'cli' }>;
    const result = await runBerthCli(
      stateHome,
      drive.argv.map((arg) => fillText(arg, values)),
    );
    expect(result.code, `${entry.id}: ${result.stderr}`).toBe(drive.exit);
    expect(result.stderr.endsWith('\n'), result.stderr).toBe(true);
    expectMessage(entry, result.stderr.replace(/^berth: /, '').slice(0, -1));
    expect(result.stderr.startsWith('berth: ')).toBe(true);
  });

  it.each(byKind(['settings-file']).map((entry) => [entry.id, entry] as const))('settings file %s', async (_id, entry) => {
    const drive = entry.drive as Extract<BadInputDrive, { kind: 'settings-file' }>;
    const file = String(values.settingsFile);
    const problemOf = async () => {
      const reply = await client.call('settings.list', {});
      return reply.t === 'result' ? (reply.value as { problem: string | null }).problem : null;
    };
    writeFileSync(file, drive.content);
    try {
      // Berth follows the file; the problem is there once it has read it.
      await waitFor(`Berth to read the settings file of ${entry.id}`, async () => (await problemOf()) !== null);
      const list = await runBerthCli(stateHome, ['settings', 'list']);
      expect(list.code, list.stderr).toBe(0);
      const problem = /^Problem: (.*)$/m.exec(list.stdout)?.[1] ?? `(no problem line in: ${list.stdout})`;
      expectMessage(entry, problem);
    } finally {
      writeFileSync(file, '{}\n');
      await waitFor('Berth to take the fixed settings file', async () => (await problemOf()) === null);
    }
  });
});
