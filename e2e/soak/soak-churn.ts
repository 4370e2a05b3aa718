/**
 * Constant churn from the `docker` CLI against the soak's engine: containers of its own created,
 * started, stopped and removed, and idle ones of the population started (they exit at once), in a
 * random but seeded order, one command at a time per worker. The number of churn containers walks
 * around a target, so at the end some are left in every state for the page to show.
 */
import { dockerCli, BUSYBOX_IMAGE } from '../../engine/testing/test-images.js';

export type ChurnState = 'created' | 'running' | 'exited';

export interface ChurnCommand {
  /** The container it acts on. */
  name: string;
  args: string[];
  /** What the churn believes once the command succeeded. */
  apply(states: Map<string, ChurnState>): void;
}

/** A small seeded generator (mulberry32): the same seed, the same order of commands. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LOOP = ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 1; done'];
const TARGET = 20;

/**
 * The next command, from what the churn believes each of its containers is. `pending` are names a
 * worker is busy with now (another worker leaves them alone).
 */
export function nextChurnCommand(
  random: () => number,
  states: ReadonlyMap<string, ChurnState>,
  pending: ReadonlySet<string>,
  idle: readonly string[],
  newName: () => string,
): ChurnCommand {
  const free = [...states].filter(([name]) => !pending.has(name));
  const withState = (state: ChurnState) => free.filter(([, s]) => s === state).map(([name]) => name);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const roll = random();
  // Fewer than the target: create more often; more: remove more often.
  const createChance = states.size < TARGET ? 0.35 : 0.15;
  if (roll < createChance || free.length === 0) {
    const name = newName();
    return { name, args: ['create', '--name', name, BUSYBOX_IMAGE, ...LOOP], apply: (s) => void s.set(name, 'created') };
  }
  if (roll < createChance + 0.1 && idle.length > 0) {
    const name = pick(idle);
    return { name, args: ['start', name], apply: () => undefined };
  }
  const startable = [...withState('created'), ...withState('exited')];
  const running = withState('running');
  const removeChance = states.size > TARGET ? 0.35 : 0.15;
  const choice = random();
  if (choice < removeChance) {
    const name = pick(free.map(([n]) => n));
    return { name, args: ['rm', '-f', name], apply: (s) => void s.delete(name) };
  }
  if (running.length > 0 && (choice < 0.65 || startable.length === 0)) {
    const name = pick(running);
    return { name, args: ['stop', '-t', '5', name], apply: (s) => void s.set(name, 'exited') };
  }
  if (startable.length > 0) {
    const name = pick(startable);
    return { name, args: ['start', name], apply: (s) => void s.set(name, 'running') };
  }
  const name = newName();
  return { name, args: ['create', '--name', name, BUSYBOX_IMAGE, ...LOOP], apply: (s) => void s.set(name, 'created') };
}

export interface Churn {
  /** Stops giving new commands and resolves once the ones running have ended. */
  stop(): Promise<{ commands: number; failed: number }>;
}

export function startChurn(dockerHost: string, options: { workers: number; idle: readonly string[]; seed: number }): Churn {
  const random = seededRandom(options.seed);
  const states = new Map<string, ChurnState>();
  const pending = new Set<string>();
  let created = 0;
  let commands = 0;
  let failed = 0;
  let stopping = false;
  const newName = () => `soak-churn-${created++}`;

  const worker = async () => {
    while (!stopping) {
      const command = nextChurnCommand(random, states, pending, options.idle, newName);
      const { name } = command;
      pending.add(name);
      try {
        await dockerCli(dockerHost, command.args);
        command.apply(states);
      } catch {
        // A container that exited by itself, say: the engine's word is the truth, and the page is
        // compared with `docker ps -a` at the end, not with what the churn believes.
        failed += 1;
      } finally {
        pending.delete(name);
        commands += 1;
      }
    }
  };
  const workers = Promise.all(Array.from({ length: options.workers }, worker));
  return {
    async stop() {
      stopping = true;
      await workers;
      return { commands, failed };
    },
  };
}
