/**
 * A fuzzing campaign against a real Berth in browser mode: every contract method and stream called
 * with random arguments (well-shaped ones that reach the engine, malformed ones that must be refused),
 * many at once, while a probe on its own connection times a normal call. It reports figures, and every
 * reply that breaks a rule (no answer, a malformed call not refused as such, an internal error).
 */
import fc from 'fast-check';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { contractEntries, type MethodDefinition, type StreamDefinition } from '../../contract/contract.js';
import { argumentsOf } from '../../contract/testing/contract-arbitraries.js';
import type { ServerMessage } from '../../contract/wire.js';
import { connectRawClient, type BerthWebProcess, type RawApiClient } from './berth-web-process.js';

export interface FuzzCampaignOptions {
  calls: number;
  seed: number;
  /** Calls and streams out at once (the session allows 64 calls). */
  concurrency: number;
  /** Values for properties by name, mixed in with random ones so calls reach real objects. */
  known: Readonly<Record<string, fc.Arbitrary<unknown>>>;
  /** Property values pinned per entry ("namespace.name"): host paths kept in a sandbox. */
  pinned: Readonly<Record<string, Readonly<Record<string, fc.Arbitrary<unknown>>>>>;
  /** How long a call may take before it counts as unanswered. */
  answerTimeoutMs: number;
  /** Called with progress every 1,000 calls. */
  onProgress?(done: number): void;
}

export interface FuzzFinding {
  name: string;
  args: string;
  problem: string;
}

export interface FuzzFigures {
  calls: number;
  streams: number;
  malformedSent: number;
  outcomes: Record<string, number>;
  findings: FuzzFinding[];
  probe: { count: number; p50Ms: number; p99Ms: number; maxMs: number };
  wallMs: number;
}

interface Job {
  name: string;
  definition: MethodDefinition | StreamDefinition;
  args: unknown;
  malformed: boolean;
}

const STREAM_READ_MS = 150;
const BATCH = 50;
const PROBE_EVERY_MS = 50;
const MAX_FINDINGS = 50;
const describeArgs = (args: unknown) => JSON.stringify(args)?.slice(0, 300) ?? String(args);

/** app.quit ends Berth when asked, which is what it is for: called at random it would end the campaign. */
const NOT_FUZZED = new Set(['app.quit']);

function jobArbitrary(options: FuzzCampaignOptions): fc.Arbitrary<Job> {
  const perEntry = contractEntries()
    .filter(([name]) => !NOT_FUZZED.has(name))
    .map(([name, definition]) => {
      const args = argumentsOf(name, definition, { mixedIn: options.known, pinned: options.pinned[name] ?? {} });
      return fc.oneof(
        { weight: 3, arbitrary: args.wellShaped.map((value) => ({ name, definition, args: value, malformed: false })) },
        { weight: 1, arbitrary: args.malformed.map((value) => ({ name, definition, args: value, malformed: true })) },
      );
    });
  return fc.oneof(...perEntry);
}

/** The probe in its own process (call-probe.ts), so only the server's delays are timed. */
function startCallProbe(berth: BerthWebProcess) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'call-probe.ts'), String(berth.port), berth.token, String(PROBE_EVERY_MS)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const failures: string[] = [];
  return {
    failures,
    async stop(): Promise<number[]> {
      child.stdin.end();
      await new Promise((resolve) => child.once('exit', resolve));
      const lines = output.split('\n').filter(Boolean);
      failures.push(...lines.filter((line) => line.startsWith('failed')));
      return lines.filter((line) => !line.startsWith('failed')).map(Number);
    },
  };
}

/** The arguments as the server receives them: JSON turns NaN and Infinity into null and drops undefined. */
function asSent(job: Job): Job {
  const sent = JSON.parse(JSON.stringify({ args: job.args })) as { args?: unknown };
  return { ...job, args: sent.args };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Subscribes, takes what comes for a moment (never acking past the window), then unsubscribes. A
 * stream the contract refuses must end with its refusal, however long that takes to arrive.
 */
async function sampleStream(
  client: RawApiClient,
  id: number,
  job: Job,
  refused: boolean,
  timeoutMs: number,
): Promise<ServerMessage | 'open'> {
  client.send({ t: 'subscribe', id, stream: job.name, args: job.args });
  const ended = await client.waitFor((message) => message.id === id && message.t === 'end', refused ? timeoutMs : STREAM_READ_MS);
  if (ended) return ended;
  client.send({ t: 'unsubscribe', id });
  return 'open';
}

export async function runApiFuzzCampaign(berth: BerthWebProcess, options: FuzzCampaignOptions): Promise<FuzzFigures> {
  const started = performance.now();
  const findings: FuzzFinding[] = [];
  const outcomes: Record<string, number> = {};
  const note = (name: string, args: unknown, problem: string) => {
    if (findings.length < MAX_FINDINGS) findings.push({ name, args: describeArgs(args), problem });
  };
  const count = (key: string) => (outcomes[key] = (outcomes[key] ?? 0) + 1);

  const probe = startCallProbe(berth);

  const jobs = jobArbitrary(options);
  let nextJob = 0;
  let batch: Job[] = [];
  // Small batches: sampling is synchronous, and a long one would hold up reading the replies.
  const take = (): Job => {
    if (nextJob % BATCH === 0) batch = fc.sample(jobs, { numRuns: BATCH, seed: options.seed + nextJob }).map(asSent);
    return batch[nextJob++ % BATCH]!;
  };

  let done = 0;
  let streams = 0;
  let malformedSent = 0;
  let streamId = 1_000_000;
  const worker = async () => {
    // Not keeping every message: 100,000 calls would keep every reply.
    const client = await connectRawClient(berth, { keepReceived: false });
    try {
      while (done < options.calls) {
        const exit = berth.exitReport();
        if (exit) throw new Error(`After ${done} calls: ${exit}`);
        const job = take();
        done += 1;
        if (done % 1_000 === 0) options.onProgress?.(done);
        const refused = !job.definition.args.safeParse(job.args ?? {}).success;
        if (job.malformed) malformedSent += 1;
        if (job.definition.kind === 'stream') {
          streams += 1;
          const outcome = await sampleStream(client, streamId++, job, refused, options.answerTimeoutMs);
          const code = outcome === 'open' ? 'open' : outcome.t === 'end' && outcome.error ? outcome.error.code : 'ended';
          count(`stream:${code}`);
          if (refused && code !== 'invalid-request') note(job.name, job.args, `a refused stream ended with ${code}`);
          if (code === 'internal' && outcome !== 'open' && outcome.t === 'end')
            note(job.name, job.args, `internal: ${outcome.error?.message}`);
          continue;
        }
        const reply = await Promise.race([
          client.call(job.name, job.args),
          new Promise<null>((resolve) => setTimeout(() => resolve(null), options.answerTimeoutMs).unref()),
        ]);
        if (reply === null) {
          count('unanswered');
          note(job.name, job.args, `no answer in ${options.answerTimeoutMs} ms`);
          continue;
        }
        const code = reply.t === 'error' ? reply.error.code : 'ok';
        count(code);
        if (refused && code !== 'invalid-request') note(job.name, job.args, `arguments the contract refuses got ${code}`);
        if (code === 'internal' && reply.t === 'error') note(job.name, job.args, `internal: ${reply.error.message}`);
      }
    } finally {
      client.close();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const probeTimes = await probe.stop();
  for (const failure of probe.failures) note('terminal.list', {}, `the probe call failed: ${failure}`);
  const sorted = [...probeTimes].sort((a, b) => a - b);
  return {
    calls: done,
    streams,
    malformedSent,
    outcomes,
    findings,
    probe: { count: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted.at(-1) ?? 0 },
    wallMs: performance.now() - started,
  };
}
