import { describe, expect, it } from 'vitest';
import {
  compareLists,
  describeDifference,
  differenceCount,
  figuresLine,
  missedGoals,
  rssGrowth,
  type SoakFigures,
} from './soak-figures.js';

describe('rssGrowth', () => {
  const samples = Array.from({ length: 61 }, (_, i) => ({ atMs: i * 2_000, mib: 100 + i * 0.5 }));

  it('compares the median after warm-up with the median of the last window', () => {
    // Warm-up 20 s, windows 10 s: [20, 30] s holds 100 + 5..7.5 (median 106.25), [110, 120] s 127.5..130 (128.75).
    const figure = rssGrowth(samples, 20_000, 120_000, 10_000);
    expect(figure.baselineMiB).toBeCloseTo(106.25);
    expect(figure.endMiB).toBeCloseTo(128.75);
    expect(figure.peakMiB).toBe(130);
    expect(figure.growth).toBeCloseTo(22.5 / 106.25);
  });

  it('is not moved by one collection spike in a window', () => {
    const flat = Array.from({ length: 61 }, (_, i) => ({ atMs: i * 2_000, mib: i === 58 ? 180 : 100 }));
    expect(rssGrowth(flat, 20_000, 120_000, 10_000).growth).toBe(0);
  });

  it('says so when a window has no sample', () => {
    expect(() => rssGrowth(samples.slice(0, 10), 20_000, 120_000, 10_000)).toThrow(/Too few RSS samples/);
  });
});

describe('compareLists', () => {
  it('finds the missing, the extra and the wrong states by name', () => {
    const page = [
      { name: 'a', state: 'running' },
      { name: 'b', state: 'exited' },
      { name: 'gone', state: 'created' },
    ];
    const engine = [
      { name: 'a', state: 'running' },
      { name: 'b', state: 'running' },
      { name: 'new', state: 'created' },
    ];
    const difference = compareLists(page, engine);
    expect(difference).toEqual({
      missing: ['new'],
      extra: ['gone'],
      wrongState: [{ name: 'b', page: 'exited', engine: 'running' }],
    });
    expect(differenceCount(difference)).toBe(3);
    expect(describeDifference(difference)).toBe('new missing; gone still shown; b exited on the page, running in the engine');
  });

  it('counts nothing when the two agree in any order', () => {
    const list = [
      { name: 'a', state: 'running' },
      { name: 'b', state: 'exited' },
    ];
    expect(differenceCount(compareLists(list, [...list].reverse()))).toBe(0);
  });
});

describe('goals', () => {
  const passing: SoakFigures = {
    minutes: 2,
    containers: 500,
    followedLogs: 50,
    logLines: 30_000,
    stalledLogs: 0,
    terminals: 10,
    echoesSent: 40,
    echoesSeen: 40,
    churnCommands: 300,
    rss: { baselineMiB: 100, endMiB: 104, peakMiB: 110, growth: 0.04 },
    eventsMissed: 0,
    settleMs: 800,
    leftovers: { execSessions: 0, engineConnections: 0, fileDescriptors: 0 },
  };

  it('passes a run that meets them all and prints its figures on one line', () => {
    expect(missedGoals(passing)).toEqual([]);
    const line = figuresLine(passing);
    expect(line).not.toContain('\n');
    expect(line).toContain('RSS 100.0 → 104.0 MiB (+4.0%, peak 110.0; goal < +10%)');
    expect(line).toContain('events missed 0');
    expect(line).toContain('left over: 0 exec sessions, 0 engine connections, 0 fds (goal 0)');
  });

  it('names each goal missed', () => {
    const missed = missedGoals({
      ...passing,
      rss: { ...passing.rss, endMiB: 110, growth: 0.1 },
      eventsMissed: 2,
      stalledLogs: 1,
      echoesSeen: 38,
      leftovers: { execSessions: 1, engineConnections: 3, fileDescriptors: 4 },
    });
    expect(missed).toEqual([
      "Berth's RSS grew +10.0% after warm-up (goal < +10.0%).",
      '2 containers differ between the page and docker ps -a.',
      '1 exec sessions were left over.',
      '3 connections to the engine were left over.',
      '4 file descriptors were left over.',
      '1 followed logs stopped receiving lines.',
      '2 of 40 terminal commands got no answer.',
    ]);
  });
});
