import { describe, expect, it } from 'vitest';
import { nextChurnCommand, seededRandom, type ChurnState } from './soak-churn.js';

function simulate(steps: number, seed: number) {
  const random = seededRandom(seed);
  const states = new Map<string, ChurnState>();
  let created = 0;
  const seen = new Set<string>();
  const sizes: number[] = [];
  for (let step = 0; step < steps; step += 1) {
    const command = nextChurnCommand(random, states, new Set(), ['soak-idle-1'], () => `churn-${created++}`);
    seen.add(command.args[0]!);
    command.apply(states);
    sizes.push(states.size);
  }
  return { states, seen, sizes };
}

describe('nextChurnCommand', () => {
  it('creates first, then creates, starts, stops and removes, and starts idle containers too', () => {
    const random = seededRandom(1);
    const first = nextChurnCommand(random, new Map(), new Set(), [], () => 'churn-0');
    expect(first.args.slice(0, 3)).toEqual(['create', '--name', 'churn-0']);
    expect(simulate(2_000, 7).seen).toEqual(new Set(['create', 'start', 'stop', 'rm']));
  });

  it('keeps the number of its containers walking around the target, and leaves some in each state', () => {
    const { sizes, states } = simulate(2_000, 42);
    const late = sizes.slice(500);
    expect(Math.min(...late)).toBeGreaterThan(5);
    expect(Math.max(...late)).toBeLessThan(45);
    expect(new Set(states.values()).size).toBeGreaterThanOrEqual(2);
  });

  it('leaves alone a container another worker is busy with', () => {
    const states = new Map<string, ChurnState>([['busy', 'running']]);
    const random = seededRandom(3);
    for (let i = 0; i < 200; i += 1) {
      const command = nextChurnCommand(random, states, new Set(['busy']), [], () => 'fresh');
      expect(command.name).not.toBe('busy');
    }
  });

  it('gives the same commands for the same seed', () => {
    const a = simulate(300, 9).sizes;
    expect(simulate(300, 9).sizes).toEqual(a);
  });
});
