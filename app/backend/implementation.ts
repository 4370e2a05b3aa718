/**
 * What implementing the contract means, as types: each method and stream of the contract becomes a
 * function of its validated arguments and the calling peer. ApiSession calls an implementation;
 * berth-api.ts and the *-api.ts files build one.
 */
import type { z } from 'zod';
import type { DisposableStore } from '../../base/index.js';
import type { BerthContract, MethodDefinition, StreamDefinition } from '../contract/contract.js';

export interface PeerContext {
  readonly peerId: string;
  /** Released when the peer goes away: terminals it opened, subscriptions it holds. */
  readonly resources: DisposableStore;
}

export type Implement<D> =
  D extends MethodDefinition<infer A, infer R>
    ? (args: z.output<A>, peer: PeerContext) => Promise<z.input<R>>
    : D extends StreamDefinition<infer A, infer I>
      ? (args: z.output<A>, peer: PeerContext, signal: AbortSignal) => AsyncIterable<z.input<I>>
      : never;

export type BerthImplementation = {
  [N in keyof BerthContract]: { [M in keyof BerthContract[N]]: Implement<BerthContract[N][M]> };
};
