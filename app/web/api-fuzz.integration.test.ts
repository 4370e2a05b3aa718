/**
 * Fuzzing the API (issue 17): a real Berth in browser mode over a dockerd of this test's own (random
 * calls remove, prune and stop things; the shared test engine's images must survive), every contract
 * method and stream with random well-shaped and malformed arguments, 8 at once. 10,000 calls here;
 * `npm run fuzz` runs 100,000 (BERTH_FUZZ_CALLS). Rules: Berth never crashes or needs its last-resort
 * guard, every call is answered, arguments the contract refuses get invalid-request, no internal error,
 * a normal call is answered in under 100 ms throughout, and memory stays bounded.
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDockerd, type LocalDockerd } from '../../engine/dockerd/index.js';
import { BUSYBOX_IMAGE, NO_SHELL_IMAGE, buildTestImages, dockerCli } from '../../engine/testing/test-images.js';
import { runApiFuzzCampaign, type FuzzFigures } from './testing/api-fuzz-campaign.js';
import { startBerthWebProcess, type BerthWebProcess } from './testing/berth-web-process.js';

const CALLS = Number(process.env.BERTH_FUZZ_CALLS ?? 10_000);
const SEED = Number(process.env.BERTH_FUZZ_SEED ?? 20261207);
/** The goal for a normal call while the fuzzing runs. */
const PROBE_GOAL_MS = 100;
/** What the server may grow by from after warm-up to the end. */
const RSS_GROWTH_BOUND_MIB = 64;

describe(`the API under ${CALLS.toLocaleString('en')} random calls (a real Berth process, its own engine)`, () => {
  let dockerd: LocalDockerd;
  let berth: BerthWebProcess;
  let sandbox: string;
  const containers = ['fuzz-running-1', 'fuzz-running-2', 'fuzz-exited'];

  beforeAll(async () => {
    sandbox = mkdtempSync(join(tmpdir(), 'berth-fuzz-'));
    mkdirSync(join(sandbox, 'state'), { mode: 0o700 });
    mkdirSync(join(sandbox, 'context'));
    mkdirSync(join(sandbox, 'binds'));
    writeFileSync(join(sandbox, 'context', 'Dockerfile'), `FROM ${BUSYBOX_IMAGE}\nRUN echo built > /built\n`);
    dockerd = await startLocalDockerd();
    await buildTestImages(dockerd.dockerHost);
    // Stops at once on SIGTERM (busybox's sleep as PID 1 would hold `stop` for its 10 s grace).
    const loop = ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 1; done'];
    for (const name of containers.slice(0, 2))
      await dockerCli(dockerd.dockerHost, ['run', '-d', '--name', name, BUSYBOX_IMAGE, ...loop]);
    await dockerCli(dockerd.dockerHost, ['run', '--name', containers[2]!, BUSYBOX_IMAGE, 'sh', '-c', 'exit 3']).catch(
      () => undefined,
    );
    await dockerCli(dockerd.dockerHost, ['volume', 'create', 'fuzz-volume']);
    await dockerCli(dockerd.dockerHost, ['network', 'create', 'fuzz-network']);
    berth = await startBerthWebProcess(dockerd.dockerHost, { XDG_STATE_HOME: join(sandbox, 'state') });
  }, 180_000);

  afterAll(async () => {
    await berth?.stop();
    await dockerd?.stop();
    if (sandbox) rmSync(sandbox, { recursive: true, force: true });
  });

  it('lives through it, answers every call as the contract says, and stays quick and bounded', async () => {
    const known = {
      id: fc.constantFrom(...containers),
      ids: fc.subarray(containers, { minLength: 1 }),
      containerId: fc.constantFrom(...containers),
      container: fc.constantFrom(...containers),
      reference: fc.constantFrom(BUSYBOX_IMAGE, NO_SHELL_IMAGE, 'berth-test/busybox'),
      image: fc.constantFrom(BUSYBOX_IMAGE, NO_SHELL_IMAGE),
      name: fc.constantFrom('fuzz-volume', 'fuzz-network'),
      network: fc.constantFrom('fuzz-network', 'bridge'),
    };
    // Whatever names a path on this computer stays in the sandbox: a random build context of "/"
    // would send the whole disk to the engine, and a bind of a missing folder makes it as root.
    const pinned = {
      'images.build': {
        contextPath: fc.constantFrom(join(sandbox, 'context'), join(sandbox, 'missing'), join(sandbox, 'context', 'Dockerfile')),
        dockerfile: fc.constantFrom('Dockerfile', 'Missing', '../Dockerfile', undefined),
      },
      'images.run': {
        source: fc.constantFrom(join(sandbox, 'binds'), join(sandbox, 'binds', 'a'), 'relative/path'),
        // A random command under restart=always would loop for the rest of the run and skew the figures.
        restart: fc.constantFrom('no', 'on-failure'),
      },
    };
    let rssAfterWarmUp = 0;
    const figures: FuzzFigures = await runApiFuzzCampaign(berth, {
      calls: CALLS,
      seed: SEED,
      // Eight at once: a busy page's worth. At 16 the server is saturated and the probe times the queue
      // (p99 64 ms on a quiet machine, 161 ms with other work beside it).
      concurrency: 8,
      known,
      pinned,
      answerTimeoutMs: 60_000,
      onProgress: (done) => {
        if (done === 1_000) rssAfterWarmUp = berth.rssMiB();
      },
    });
    const rssEnd = berth.rssMiB();
    console.log(
      `fuzz: ${figures.calls} calls (${figures.streams} streams, ${figures.malformedSent} malformed) in ${(figures.wallMs / 1000).toFixed(1)} s; ` +
        `outcomes ${JSON.stringify(figures.outcomes)}; probe p50 ${figures.probe.p50Ms.toFixed(1)} ms, p99 ${figures.probe.p99Ms.toFixed(1)} ms, ` +
        `max ${figures.probe.maxMs.toFixed(1)} ms over ${figures.probe.count}; RSS ${rssAfterWarmUp.toFixed(0)} → ${rssEnd.toFixed(0)} MiB`,
    );
    for (const finding of figures.findings) console.log(`finding: ${finding.name} ${finding.problem}\n  args ${finding.args}`);

    if (process.env.BERTH_FUZZ_LOG) writeFileSync(process.env.BERTH_FUZZ_LOG, berth.stderr());
    expect(berth.exitReport()).toBeNull();
    expect(berth.lastResortLines()).toEqual([]);
    expect(figures.findings).toEqual([]);
    expect(figures.calls).toBeGreaterThanOrEqual(CALLS);
    expect(figures.probe.p99Ms).toBeLessThan(PROBE_GOAL_MS);
    expect(rssEnd - rssAfterWarmUp).toBeLessThan(RSS_GROWTH_BOUND_MIB);
  }, 1_800_000);
});
