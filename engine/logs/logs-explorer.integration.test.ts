import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { ContainerService } from '../containers/index.js';
import { EngineConnection } from '../core/index.js';
import { connectTestEngine, removeContainers } from '../testing/engine-fixture.js';
import { uniqueName } from '../testing/names.js';
import { BUSYBOX_IMAGE, dockerCli } from '../testing/test-images.js';
import { waitFor } from '../testing/wait-for.js';
import { timeKey } from './log-merge.js';
import { LogsExplorer } from './logs-explorer.js';
import type { ExploreItem } from './logs-types.js';

const dockerHost = inject('dockerHost');
const socketPath = inject('socketPath');

interface Seen {
  items: ExploreItem[];
  lines: Array<{ name: string; time: string; text: string }>;
  done: Promise<void>;
}

describe('LogsExplorer (real dockerd)', () => {
  let connection: EngineConnection;
  let explorer: LogsExplorer;
  const created: string[] = [];
  const controllers: AbortController[] = [];

  const run = async (name: string, project: string, script: string) => {
    created.push(name);
    await dockerCli(dockerHost, [
      'run',
      '-d',
      '--name',
      name,
      '--label',
      `com.docker.compose.project=${project}`,
      BUSYBOX_IMAGE,
      'sh',
      '-c',
      script,
    ]);
  };
  const logLines = async (name: string) => (await dockerCli(dockerHost, ['logs', name])).split('\n').filter(Boolean).length;
  /** Reads the explorer's stream in the background into `items` and `lines` (by container name). */
  const explore = (project: string, tail = 1_000): Seen => {
    const controller = new AbortController();
    controllers.push(controller);
    const names = new Map<number, string>();
    const seen: Seen = { items: [], lines: [], done: Promise.resolve() };
    seen.done = (async () => {
      for await (const item of explorer.explore({ ids: null, project }, tail, controller.signal)) {
        seen.items.push(item);
        if (item.kind === 'source') names.set(item.source.key, item.source.name);
        if (item.kind === 'lines') {
          item.batch.texts.forEach((text, index) =>
            seen.lines.push({ name: names.get(item.batch.sources[index]!)!, time: item.batch.times[index]!, text }),
          );
        }
      }
    })();
    return seen;
  };

  beforeAll(async () => {
    connection = await connectTestEngine(socketPath);
    explorer = new LogsExplorer(connection, new ContainerService(connection));
  });
  afterEach(async () => {
    for (const controller of controllers.splice(0)) controller.abort();
    await removeContainers(dockerHost, created.splice(0));
  });
  afterAll(() => connection.dispose());

  it('merges the logs of three containers in the order of their timestamps', async () => {
    const project = uniqueName('merge');
    const names = ['a', 'b', 'c'].map((letter) => `${project}-${letter}`);
    // All three write at once: they wait for the same second (the engine runs on this host's clock).
    const startAt = Math.ceil(Date.now() / 1000) + 4;
    for (const [index, name] of names.entries()) {
      await run(
        name,
        project,
        `while [ $(date +%s) -lt ${startAt} ]; do usleep 10000; done; for i in $(seq 1 40); do echo ${'abc'[index]}-$i; usleep 20000; done`,
      );
    }
    for (const name of names) await waitFor(`40 lines of ${name}`, async () => (await logLines(name)) === 40);

    const seen = explore(project);
    await waitFor('the history read', () => seen.items.some((item) => item.kind === 'history-read'));
    expect(seen.lines).toHaveLength(120);
    const keys = seen.lines.map((line) => timeKey(line.time));
    expect(keys).toEqual([...keys].sort());
    // Each container's lines in its own order, and the containers really interleaved (they ran at once).
    for (const [index, name] of names.entries()) {
      const own = seen.lines.filter((line) => line.name === name).map((line) => line.text);
      expect(own).toEqual(Array.from({ length: 40 }, (_, line) => `${'abc'[index]}-${line + 1}`));
    }
    const switches = seen.lines.filter((line, index) => index > 0 && line.name !== seen.lines[index - 1]!.name).length;
    expect(switches).toBeGreaterThan(10);
  });

  it("follows new lines, picks up a container that starts later, and ends a removed one's part cleanly", async () => {
    const project = uniqueName('live');
    const [stay, leave, late] = ['stay', 'leave', 'late'].map((role) => `${project}-${role}`) as [string, string, string];
    const waitForGo = (word: string) => `echo ready; while [ ! -e /tmp/go ]; do usleep 50000; done; echo ${word}; sleep 3600`;
    await run(stay, project, waitForGo('stay-live'));
    await run(leave, project, 'echo leaving-soon; sleep 3600');
    for (const name of [stay, leave]) await waitFor(`${name} logged`, async () => (await logLines(name)) >= 1);

    const seen = explore(project);
    await waitFor('the history read', () => seen.items.some((item) => item.kind === 'history-read'));
    expect(seen.lines.map((line) => line.text).sort()).toEqual(['leaving-soon', 'ready']);

    await dockerCli(dockerHost, ['rm', '-f', leave]);
    const leaveKey = seen.items.find((item) => item.kind === 'source' && item.source.name === leave);
    await waitFor("the removed container's part to end", () =>
      seen.items.some(
        (item) =>
          item.kind === 'source-ended' &&
          leaveKey?.kind === 'source' &&
          item.key === leaveKey.source.key &&
          item.reason === 'removed',
      ),
    );

    // The stream goes on: a live line of the other container, and a new container of the project.
    await dockerCli(dockerHost, ['exec', stay, 'touch', '/tmp/go']);
    await waitFor('the live line', () => seen.lines.some((line) => line.name === stay && line.text === 'stay-live'));
    await run(late, project, 'echo late-hello; sleep 3600');
    await waitFor("the late container's line", () => seen.lines.some((line) => line.name === late && line.text === 'late-hello'));
    expect(
      seen.items.filter((item) => item.kind === 'source').map((item) => item.kind === 'source' && item.source.name),
    ).toContain(late);
    // Nothing failed, and no line came twice.
    expect(seen.items.filter((item) => item.kind === 'source-ended' && item.reason === 'failed')).toEqual([]);
    const texts = seen.lines.map((line) => `${line.name}/${line.text}`);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('ends the stream when aborted', async () => {
    const project = uniqueName('abort');
    await run(`${project}-x`, project, 'echo hi; sleep 3600');
    await waitFor('logged', async () => (await logLines(`${project}-x`)) === 1);
    const seen = explore(project);
    await waitFor('the history read', () => seen.items.some((item) => item.kind === 'history-read'));
    controllers.at(-1)!.abort();
    await seen.done;
    expect(seen.lines.map((line) => line.text)).toEqual(['hi']);
  });
});
