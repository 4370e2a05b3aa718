import { describe, expect, it } from 'vitest';
import type { EngineEventItem } from '../../../app/contract/contract';
import type { EngineEvent } from '../../../engine/core/engine-types';
import { keysToRefresh } from './network-volume-sync';

const event = (type: EngineEvent['type'], action: string, id = 'x'): EngineEventItem => ({
  kind: 'event',
  event: { type, action, id, name: null, timeNano: 1 },
});

describe('keysToRefresh', () => {
  it.each(['create', 'connect', 'disconnect', 'destroy', 'remove'])('a network %s refreshes the networks list', (action) => {
    expect(keysToRefresh(event('network', action))).toEqual([['networks']]);
  });

  it('a container created, removed or renamed refreshes networks and volume details', () => {
    for (const action of ['create', 'destroy', 'rename']) {
      expect(keysToRefresh(event('container', action))).toEqual([['networks'], ['volume-detail']]);
    }
  });

  it('a container starting or dying refreshes volume details only (networks hear connect and disconnect)', () => {
    expect(keysToRefresh(event('container', 'start'))).toEqual([['volume-detail']]);
    expect(keysToRefresh(event('container', 'die'))).toEqual([['volume-detail']]);
  });

  it('exec and other container chatter refresh nothing', () => {
    expect(keysToRefresh(event('container', 'exec_start: sh'))).toEqual([]);
    expect(keysToRefresh(event('container', 'top'))).toEqual([]);
  });

  it("a volume's own events refresh its detail, never sizes or files", () => {
    expect(keysToRefresh(event('volume', 'mount', 'data'))).toEqual([['volume-detail', 'data']]);
    expect(keysToRefresh(event('volume', 'destroy', 'data'))).toEqual([['volume-detail', 'data']]);
    expect(keysToRefresh(event('image', 'delete'))).toEqual([]);
  });

  it('an overflow refreshes everything it keeps', () => {
    expect(keysToRefresh({ kind: 'overflow', dropped: 3 })).toEqual([['networks'], ['volume-detail']]);
  });
});
