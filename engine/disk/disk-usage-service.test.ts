import { describe, expect, it } from 'vitest';
import {
  apiVersionAtLeast,
  summarizeDiskUsage,
  toPruneResult,
  volumePruneOptions,
  type RawDiskUsage,
} from './disk-usage-service.js';

const at = new Date('2026-01-02T03:04:05Z');

describe("summarizeDiskUsage (the docker CLI's system df figures)", () => {
  it('counts images: layers in total, reclaimable what used images do not take exclusively', () => {
    const raw: RawDiskUsage = {
      LayersSize: 1_000,
      Images: [
        { Containers: 2, Size: 600, SharedSize: 100 },
        { Containers: 0, Size: 300, SharedSize: 100 },
        { Containers: 1, Size: 50, SharedSize: -1 },
      ],
    };
    expect(summarizeDiskUsage(raw, at).entries[0]).toEqual({
      kind: 'images',
      count: 3,
      active: 2,
      size: 1_000,
      reclaimable: 500,
    });
  });

  it('counts containers: writable layers, reclaimable those of containers not running, paused or restarting', () => {
    const raw: RawDiskUsage = {
      Containers: [
        { State: 'running', SizeRw: 10 },
        { State: 'exited', SizeRw: 20 },
        { State: 'created' },
        { State: 'paused', SizeRw: 5 },
      ],
    };
    expect(summarizeDiskUsage(raw, at).entries[1]).toEqual({
      kind: 'containers',
      count: 4,
      active: 2,
      size: 35,
      reclaimable: 20,
    });
  });

  it('counts volumes: unknown sizes left out, reclaimable the ones no container references', () => {
    const raw: RawDiskUsage = {
      Volumes: [
        { Name: 'a', UsageData: { Size: 100, RefCount: 1 } },
        { Name: 'b', UsageData: { Size: 40, RefCount: 0 } },
        { Name: 'c', UsageData: { Size: -1, RefCount: 0 } },
        { Name: 'd', UsageData: null },
      ],
    };
    expect(summarizeDiskUsage(raw, at).entries[2]).toEqual({ kind: 'volumes', count: 4, active: 1, size: 140, reclaimable: 40 });
  });

  it('counts build cache: shared records left out, reclaimable the ones not in use', () => {
    const raw: RawDiskUsage = {
      BuildCache: [{ Size: 100, InUse: true }, { Size: 30 }, { Size: 70, Shared: true }],
    };
    expect(summarizeDiskUsage(raw, at).entries[3]).toEqual({
      kind: 'build-cache',
      count: 3,
      active: 1,
      size: 130,
      reclaimable: 30,
    });
  });

  it('copes with an engine that answers nulls (no builder, nothing yet)', () => {
    const usage = summarizeDiskUsage({ Images: null, Containers: null, Volumes: null, BuildCache: null }, at);
    expect(usage.computedAt).toBe('2026-01-02T03:04:05.000Z');
    expect(usage.entries.map((entry) => [entry.kind, entry.count, entry.size, entry.reclaimable])).toEqual([
      ['images', 0, 0, 0],
      ['containers', 0, 0, 0],
      ['volumes', 0, 0, 0],
      ['build-cache', 0, 0, 0],
    ]);
  });
});

describe('apiVersionAtLeast', () => {
  it.each([
    ['1.41', '1.42', false],
    ['1.42', '1.42', true],
    ['1.50', '1.42', true],
    ['1.9', '1.42', false],
    ['2.0', '1.42', true],
  ])('%s >= %s is %s', (version, wanted, expected) => {
    expect(apiVersionAtLeast(version, wanted)).toBe(expected);
  });
});

describe('volumePruneOptions', () => {
  it('asks for every unused volume where the engine would prune only anonymous ones', () => {
    expect(volumePruneOptions('1.41')).toEqual({});
    expect(volumePruneOptions('1.42')).toEqual({ filters: { all: ['true'] } });
    expect(volumePruneOptions('1.50')).toEqual({ filters: { all: ['true'] } });
  });
});

describe('toPruneResult', () => {
  it('counts what each kind of prune removed', () => {
    expect(toPruneResult('containers', { ContainersDeleted: ['a', 'b'], SpaceReclaimed: 9 })).toEqual({
      kind: 'containers',
      removed: 2,
      spaceReclaimed: 9,
    });
    expect(
      toPruneResult('images', { ImagesDeleted: [{ Untagged: 'x:1' }, { Deleted: 'sha256:1' }, { Deleted: 'sha256:2' }] }),
    ).toEqual({
      kind: 'images',
      removed: 2,
      spaceReclaimed: 0,
    });
    expect(toPruneResult('volumes', { VolumesDeleted: null, SpaceReclaimed: 0 }).removed).toBe(0);
    expect(toPruneResult('build-cache', { CachesDeleted: ['c'], SpaceReclaimed: 5 }).removed).toBe(1);
  });
});
