import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { ContainerService } from './container-service.js';
import type { LogBatch } from './container-types.js';
import { EngineConnection } from '../core/index.js';
import { appendBatch, emptyBatch } from './log-parser.js';
import { connectTestEngine, engineError, removeContainers } from '../testing/engine-fixture.js';
import { uniqueName } from '../testing/names.js';
import { BUSYBOX_IMAGE, dockerCli } from '../testing/test-images.js';
import { waitFor } from '../testing/wait-for.js';

const dockerHost = inject('dockerHost');
const socketPath = inject('socketPath');

describe('ContainerLogs (real dockerd)', () => {
  let connection: EngineConnection;
  let service: ContainerService;
  const created: string[] = [];

  const run = async (script: string, extra: string[] = []) => {
    const name = uniqueName('logs');
    created.push(name);
    await dockerCli(dockerHost, ['run', '-d', '--name', name, ...extra, BUSYBOX_IMAGE, 'sh', '-c', script]);
    return name;
  };
  /** stdout and stderr together, through the service (the CLI splits them). */
  const fullText = async (name: string, timestamps = false) => {
    let text = '';
    for await (const chunk of service.logs.text(name, { since: null, timestamps }, new AbortController().signal)) text += chunk;
    return text;
  };
  const logLines = async (name: string) => (await fullText(name)).split('\n').filter(Boolean).length;

  beforeAll(async () => {
    connection = await connectTestEngine(socketPath);
    service = new ContainerService(connection);
  });
  afterEach(async () => {
    await removeContainers(dockerHost, created.splice(0));
  });
  afterAll(() => connection.dispose());

  it('follows: the tail first, stdout and stderr told apart, then new lines as they come', async () => {
    const name = await run(
      'for i in 1 2 3 4 5; do echo out-$i; done; echo err-1 >&2; while [ ! -e /tmp/go ]; do sleep 0.05; done; echo later; sleep 3600',
    );
    await waitFor('six lines logged', async () => (await logLines(name)) === 6);
    const controller = new AbortController();
    const lines = emptyBatch();
    const iterator = service.logs.follow(name, { tail: 6, since: null, follow: true }, controller.signal)[Symbol.asyncIterator]();
    while (lines.texts.length < 6) appendBatch(lines, (await iterator.next()).value as LogBatch);
    // stdout and stderr are separate pipes: where the stderr line falls among the others may vary.
    expect(lines.texts.filter((text) => text.startsWith('out'))).toEqual(['out-1', 'out-2', 'out-3', 'out-4', 'out-5']);
    expect(lines.texts).toContain('err-1');
    lines.texts.forEach((text, index) => expect(lines.streams[index]).toBe(text.startsWith('err') ? 'e' : 'o'));
    expect(lines.times.every((time) => /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(time))).toBe(true);

    await dockerCli(dockerHost, ['exec', name, 'touch', '/tmp/go']);
    while (lines.texts.length < 7) appendBatch(lines, (await iterator.next()).value as LogBatch);
    expect(lines.texts.at(-1)).toBe('later');
    controller.abort();
    await iterator.return?.(undefined);
  });

  it('ends a follow when the container stops', async () => {
    const name = await run('echo only; sleep 3600', ['--stop-timeout', '1']);
    await waitFor('the line logged', async () => (await logLines(name)) === 1);
    const controller = new AbortController();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const batch of service.logs.follow(name, { tail: 10, since: null, follow: true }, controller.signal)) {
        seen.push(...batch.texts);
      }
    })();
    await waitFor('the tail', () => seen.length === 1);
    await dockerCli(dockerHost, ['kill', name]);
    await reading;
    expect(seen).toEqual(['only']);
  });

  /** The last `tail` lines, then older pages until the start; every line once, in order. */
  const readBackToStart = async (name: string, tail: number, reader: 'tail' | 'windows', afterTail?: () => Promise<void>) => {
    const controller = new AbortController();
    let shown = emptyBatch();
    const iterator = service.logs.follow(name, { tail, since: null, follow: true }, controller.signal)[Symbol.asyncIterator]();
    while (shown.texts.length < tail) appendBatch(shown, (await iterator.next()).value as LogBatch);
    controller.abort();
    await iterator.return?.(undefined);
    await afterTail?.();
    let reachedStart = false;
    for (let pages = 0; !reachedStart && pages < 20; pages += 1) {
      const first = shown.times[0]!;
      const atFirst = shown.times.filter((time) => time === first).length;
      const page = await service.logs.before(
        name,
        { time: first, shown: atFirst },
        { limit: 700, since: null, density: null, loaded: reader === 'tail' ? shown.texts.length : null },
      );
      expect(page.batch.texts.length).toBeLessThanOrEqual(700);
      const merged = emptyBatch();
      appendBatch(merged, page.batch);
      appendBatch(merged, shown);
      shown = merged;
      reachedStart = page.reachedStart;
    }
    expect(reachedStart).toBe(true);
    return shown.texts;
  };
  const numbers = (count: number) => Array.from({ length: count }, (_, index) => String(index + 1));

  it.each(['windows', 'tail'] as const)(
    'pages back through older lines without gaps or repeats, to the start (%s)',
    async (reader) => {
      const total = 2_500;
      const name = await run(`seq 1 ${total}; sleep 3600`);
      await waitFor('all lines logged', async () => (await logLines(name)) === total, { timeoutMs: 30_000 });
      expect(await readBackToStart(name, 500, reader)).toEqual(numbers(total));
    },
  );

  it('pages back from a longer tail even when new lines arrived after the reader’s last', async () => {
    const name = await run('seq 1 1500; while [ ! -e /tmp/go ]; do sleep 0.05; done; seq 1501 1800; sleep 3600');
    await waitFor('the first lines logged', async () => (await logLines(name)) === 1500, { timeoutMs: 30_000 });
    const more = async () => {
      await dockerCli(dockerHost, ['exec', name, 'touch', '/tmp/go']);
      await waitFor('the new lines logged', async () => (await logLines(name)) === 1800);
    };
    expect(await readBackToStart(name, 300, 'tail', more)).toEqual(numbers(1500));
  });

  it('gives the whole log as text, with or without times', async () => {
    const name = await run('echo one; echo two >&2; sleep 3600');
    // The two pipes may be logged in either order.
    await waitFor('both lines logged', async () => (await fullText(name)).split('\n').sort().join(' ') === ' one two');
    const stamped = (await fullText(name, true)).split('\n').filter(Boolean);
    expect(stamped.map((line) => line.replace(/^\d{4}-\d\d-\d\dT\S+Z /, '')).sort()).toEqual(['one', 'two']);
  });

  it('names a missing container', async () => {
    const error = await engineError(
      service.logs.before(
        'no-such-container-x',
        { time: '2026-01-01T00:00:00Z', shown: 0 },
        { limit: 10, since: null, density: null, loaded: null },
      ),
    );
    expect(error.code).toBe('not-found');
    expect(error.message).toContain('no-such-container-x');
  });
});
