/** The contract-to-services mapping, over fake services (the real ones are covered by the integration tests). */
import { describe, expect, it, vi } from 'vitest';
import type { ConnectionState } from '../../engine/core/index.js';
import { DisposableStore, Emitter } from '../../base/index.js';
import { EngineError } from '../../engine/core/index.js';
import type { EngineEvent } from '../../engine/core/index.js';
import type { EngineEventItem } from '../contract/contract.js';
import type { PeerContext } from './implementation.js';
import { createBerthImplementation } from './berth-api.js';
import type { EngineServices } from './engine-services.js';

function fakeServices() {
  const states = new Emitter<ConnectionState>();
  const events = new Emitter<EngineEvent>();
  let state: ConnectionState = { kind: 'connecting', endpoint: 'unix:///s', attempt: 1 };
  const containers = { remove: vi.fn(async () => undefined), start: vi.fn(async () => undefined) };
  const services = {
    connection: {
      endpoint: { kind: 'unix', socketPath: '/s' },
      get state() {
        return state;
      },
      onStateChange: states.event,
      onEvent: events.event,
    },
    containers,
    terminals: { has: () => false },
  } as unknown as EngineServices;
  return {
    services,
    containers,
    setState(next: ConnectionState) {
      state = next;
      states.fire(next);
    },
    events,
    states,
  };
}

const peer = (): PeerContext => ({ peerId: 'p', resources: new DisposableStore() });
const engineEvent = (n: number): EngineEvent => ({ type: 'container', action: 'die', id: `c${n}`, name: null, timeNano: n });

describe('createBerthImplementation', () => {
  it('maps methods onto the services and answers null for actions', async () => {
    const fake = fakeServices();
    const implementation = createBerthImplementation(fake.services);
    await expect(implementation.containers.remove({ id: 'web', force: true }, peer())).resolves.toBeNull();
    expect(fake.containers.remove).toHaveBeenCalledWith('web', { force: true });
    await expect(implementation.containers.start({ id: 'web' }, peer())).resolves.toBeNull();
    expect(fake.containers.start).toHaveBeenCalledWith('web');
  });

  it('engine.state gives the current state first, then the latest change', async () => {
    const fake = fakeServices();
    const controller = new AbortController();
    const iterator = createBerthImplementation(fake.services).engine.state({}, peer(), controller.signal)[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ kind: 'connecting' });
    fake.setState({ kind: 'unreachable', endpoint: 'unix:///s', reason: 'x', attempt: 1, retryInMs: 250 });
    fake.setState({ kind: 'connecting', endpoint: 'unix:///s', attempt: 2 });
    expect((await iterator.next()).value).toEqual({ kind: 'connecting', endpoint: 'unix:///s', attempt: 2 });
    controller.abort();
    expect((await iterator.next()).done).toBe(true);
    expect(fake.states.listenerCount).toBe(0);
  });

  it('engine.events tells a lagging consumer how many events it lost, then goes on', async () => {
    const fake = fakeServices();
    const controller = new AbortController();
    const events = createBerthImplementation(fake.services).engine.events({}, peer(), controller.signal);
    const iterator = events[Symbol.asyncIterator]();
    for (let n = 0; n < 2_500; n += 1) fake.events.fire(engineEvent(n));
    const first = await iterator.next();
    expect(first.value).toEqual({ kind: 'overflow', dropped: 500 } satisfies EngineEventItem);
    expect((await iterator.next()).value).toEqual({ kind: 'event', event: engineEvent(500) });
    controller.abort();
    expect(fake.events.listenerCount).toBe(0);
  });

  it('terminal input and resize for an ended session fail with not-found', async () => {
    const implementation = createBerthImplementation(fakeServices().services);
    const sessionId = '3b241101-e2bb-4255-8caf-4136c566a962';
    await expect(implementation.terminal.input({ sessionId, data: 'x' }, peer())).rejects.toEqual(
      new EngineError('not-found', 'This terminal session has ended. Open a new terminal.'),
    );
    await expect(implementation.terminal.resize({ sessionId, cols: 80, rows: 24 }, peer())).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});
