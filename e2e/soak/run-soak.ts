/**
 * `npm run soak` (issue 17 item 3): a real Berth in browser mode over a dockerd of its own, with 500
 * containers, 50 followed logs and 10 terminals through its API, constant churn from the `docker` CLI,
 * and a Chromium page on the Containers view, for 10 minutes (BERTH_SOAK_MINUTES). Then: Berth's RSS
 * growth after warm-up, the page's list against `docker ps -a` once churn stops, and what Berth still
 * holds (exec sessions, engine connections, file descriptors) once every client is gone. Prints one
 * line of figures and exits 1 when a goal is missed. The test command runs a 2-minute variant.
 */
import Dockerode from 'dockerode';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalDockerd } from '../../engine/dockerd/index.js';
import { buildTestImages, dockerCli } from '../../engine/testing/test-images.js';
import { connectApi } from './api-connection.js';
import { settledResources, type HeldResources } from './process-resources.js';
import { startBerthForSoak, type BerthUnderSoak } from './soak-berth.js';
import { startChurn } from './soak-churn.js';
import {
  compareLists,
  describeDifference,
  differenceCount,
  figuresLine,
  missedGoals,
  rssGrowth,
  type ListDifference,
  type RssSample,
} from './soak-figures.js';
import { openWatchingPage, type WatchingPage } from './soak-page.js';
import { SoakSettingError, soakPlanFrom, type SoakPlan } from './soak-plan.js';
import { createPopulation, killAll, parsePsTable } from './soak-population.js';
import { followLogs, openTerminals } from './soak-readers.js';

const RSS_PERIOD_MS = 2_000;
const TYPING_PERIOD_MS = 6_000;
/** A followed log with no line for this long (its container prints every second) has stalled. */
const STALL_MS = 15_000;
const SETTLE_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

async function engineList(dockerHost: string) {
  return parsePsTable(await dockerCli(dockerHost, ['ps', '-a', '--format', '{{.Names}}\t{{.State}}']));
}

/** Until the page's list equals `docker ps -a` (names and states), or the timeout: the last difference. */
async function settleList(page: WatchingPage, dockerHost: string): Promise<{ difference: ListDifference; ms: number }> {
  const started = performance.now();
  for (;;) {
    const engine = await engineList(dockerHost);
    const shown = await page.shownCount();
    const timedOut = performance.now() - started > SETTLE_TIMEOUT_MS;
    // The count first (cheap); the whole list only when the count agrees, or for the last word.
    if (shown === `${engine.length} of ${engine.length}` || timedOut) {
      const difference = compareLists(await page.readList(), engine);
      if (differenceCount(difference) === 0 || timedOut) return { difference, ms: performance.now() - started };
      if (process.env.BERTH_SOAK_VERBOSE) console.log(`soak: not yet (${seconds(started)}): ${describeDifference(difference)}`);
    } else if (process.env.BERTH_SOAK_VERBOSE)
      console.log(`soak: not yet (${seconds(started)}): the page shows ${shown}, the engine has ${engine.length}`);
    await sleep(250);
  }
}

async function runningExecs(socketPath: string, containers: readonly string[]): Promise<number> {
  const docker = new Dockerode({ socketPath });
  let running = 0;
  for (const name of containers) {
    const info = await docker.getContainer(name).inspect();
    for (const id of info.ExecIDs ?? []) {
      const exec = await docker
        .getExec(id)
        .inspect()
        .catch(() => null);
      if (exec?.Running) running += 1;
    }
  }
  return running;
}

async function berthSessions(berth: BerthUnderSoak): Promise<number> {
  const connection = await connectApi(berth.port, berth.token);
  try {
    return (await connection.api.terminal.list({})).length;
  } finally {
    await connection.close();
  }
}

async function soak(plan: SoakPlan, sandbox: string): Promise<boolean> {
  const setupStarted = performance.now();
  const dockerd = await startLocalDockerd({
    bridge: process.env.BERTH_SOAK_BRIDGE ?? 'berthsoak0',
    subnetPrefix: process.env.BERTH_SOAK_SUBNET ?? '172.29.233',
  });
  let berth: BerthUnderSoak | undefined;
  let page: WatchingPage | undefined;
  try {
    await buildTestImages(dockerd.dockerHost);
    const population = await createPopulation(dockerd.socketPath, {
      containers: plan.containers,
      loggers: plan.followedLogs,
      shells: plan.terminals,
    });
    console.log(`soak: ${plan.containers} containers ready in ${seconds(setupStarted)}`);

    berth = await startBerthForSoak(dockerd.dockerHost, sandbox);
    const before: HeldResources = await settledResources(berth.pid, dockerd.socketPath, { timeoutMs: 5_000 });
    page = await openWatchingPage(berth.url);
    const logs = await followLogs(berth.port, berth.token, population.loggers);
    const terminals = await openTerminals(berth.port, berth.token, population.shells);
    console.log(
      `soak: Berth, the page, ${plan.followedLogs} followed logs and ${plan.terminals} terminals up at ${seconds(setupStarted)}`,
    );

    const churn = startChurn(dockerd.dockerHost, { workers: plan.churnWorkers, idle: population.idle, seed: 20261207 });
    const loadStarted = Date.now();
    const rss: RssSample[] = [];
    let nextTyping = loadStarted + TYPING_PERIOD_MS;
    let nextTrail = loadStarted + 60_000;
    while (Date.now() - loadStarted < plan.loadMs) {
      rss.push({ atMs: Date.now() - loadStarted, mib: berth.rssMiB() });
      if (Date.now() >= nextTrail) {
        nextTrail += 60_000;
        console.log(
          `soak: at ${Math.round((Date.now() - loadStarted) / 1000)} s: RSS ${rss.at(-1)!.mib.toFixed(1)} MiB, ${logs.lines()} log lines`,
        );
      }
      if (Date.now() >= nextTyping) {
        nextTyping += TYPING_PERIOD_MS;
        await terminals.typeInEach();
      }
      await sleep(RSS_PERIOD_MS);
    }
    rss.push({ atMs: Date.now() - loadStarted, mib: berth.rssMiB() });
    const stalledLogs = logs.stalledSince(Date.now() - STALL_MS);
    const churned = await churn.stop();
    console.log(`soak: load ended (${churned.commands} churn commands, ${churned.failed} refused by the engine)`);

    const settled = await settleList(page, dockerd.dockerHost);
    await terminals.answered(10_000);
    const echoes = terminals.echoes();
    for (const ended of logs.ended()) console.log(`soak: a followed log ended early: ${ended}`);

    await terminals.close();
    await logs.close();
    await page.close();
    page = undefined;
    const execSessions = (await berthSessions(berth)) + (await runningExecs(dockerd.socketPath, population.shells));
    const after = await settledResources(berth.pid, dockerd.socketPath, { target: before, timeoutMs: 15_000 });
    console.log(
      `soak: Berth held ${before.fileDescriptors} fds / ${before.engineConnections} engine connections before, ` +
        `${after.fileDescriptors} / ${after.engineConnections} after`,
    );

    const figures = {
      minutes: plan.loadMs / 60_000,
      containers: plan.containers,
      followedLogs: plan.followedLogs,
      logLines: logs.lines(),
      stalledLogs,
      terminals: plan.terminals,
      echoesSent: echoes.sent,
      echoesSeen: echoes.seen,
      churnCommands: churned.commands,
      rss: rssGrowth(rss, plan.warmUpMs, plan.loadMs, plan.rssWindowMs),
      eventsMissed: differenceCount(settled.difference),
      settleMs: settled.ms,
      leftovers: {
        execSessions,
        engineConnections: Math.max(0, after.engineConnections - before.engineConnections),
        fileDescriptors: Math.max(0, after.fileDescriptors - before.fileDescriptors),
      },
    };
    if (figures.eventsMissed > 0)
      console.log(`soak: the page and docker ps -a differ: ${describeDifference(settled.difference)}`);
    console.log(figuresLine(figures));
    const missed = missedGoals(figures);
    for (const goal of missed) console.log(`soak: goal missed: ${goal}`);
    if (missed.length > 0) console.log(`soak: the end of Berth's log:\n${berth.logTail(40)}`);
    console.log(`soak: done in ${seconds(setupStarted)} (set-up and teardown included)`);
    return missed.length === 0;
  } finally {
    await page?.close().catch(() => undefined);
    await berth?.stop();
    await killAll(dockerd.socketPath).catch((error: unknown) =>
      console.log(`soak: could not kill the containers: ${String(error)}`),
    );
    await dockerd.stop();
  }
}

let plan: SoakPlan;
try {
  plan = soakPlanFrom(process.env);
} catch (error) {
  if (!(error instanceof SoakSettingError)) throw error;
  console.error(`soak: ${error.message}`);
  process.exit(2);
}
const sandbox = mkdtempSync(join(tmpdir(), 'berth-soak-'));
let passed = false;
try {
  passed = await soak(plan, sandbox);
} finally {
  rmSync(sandbox, { recursive: true, force: true });
}
process.exit(passed ? 0 : 1);
