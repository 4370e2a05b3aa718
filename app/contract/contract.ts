/**
 * The one definition of Berth's API between the renderer and the app. Both transports (Electron IPC
 * and the browser-mode WebSocket) and the typed client are generated from this object; nothing else
 * names a method. Methods answer once; streams deliver items until disposed, with flow control.
 */
import { z } from 'zod';
import {
  ConnectionStateSchema,
  ContainerRef,
  ContainerSummarySchema,
  EngineEventSchema,
  ImageRef,
  ImageSummarySchema,
  VolumeName,
  VolumeSummarySchema,
} from './schemas.js';
import { method, NoArgs, Nothing, stream, type MethodDefinition, type StreamDefinition } from './definitions.js';
import { appContract } from './app-contract.js';
import { composeContract } from './compose-contract.js';
import { containerContract } from './container-contract.js';
import { enginesContract } from './engines-contract.js';
import { imageContract } from './image-contract.js';
import { logsContract } from './logs-contract.js';
import { machineContract } from './machine-contract.js';
import { networkContract } from './network-contract.js';
import { settingsContract } from './settings-contract.js';
import { systemContract } from './system-contract.js';
import { terminalContract } from './terminal-contract.js';
import { volumeDetailContract } from './volume-contract.js';
import { volumeTransferContract } from './volume-transfer-contract.js';

export type { MethodDefinition, StreamDefinition } from './definitions.js';

const ById = z.object({ id: ContainerRef }).strict();

export const EngineEventItemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event'), event: EngineEventSchema }),
  /** The consumer fell too far behind and events were dropped: refresh everything. */
  z.object({ kind: z.literal('overflow'), dropped: z.number() }),
]);

export const berthContract = {
  containers: {
    list: method(NoArgs, z.array(ContainerSummarySchema)),
    /** Fresh summaries of a few containers, for updates driven by engine events. */
    listByIds: method(z.object({ ids: z.array(ContainerRef).min(1).max(500) }).strict(), z.array(ContainerSummarySchema)),
    start: method(ById, Nothing),
    stop: method(ById, Nothing),
    restart: method(ById, Nothing),
    remove: method(z.object({ id: ContainerRef, force: z.boolean() }).strict(), Nothing),
    ...containerContract,
  },
  images: {
    list: method(NoArgs, z.array(ImageSummarySchema)),
    remove: method(z.object({ reference: ImageRef }).strict(), Nothing),
    ...imageContract,
  },
  volumes: {
    list: method(NoArgs, z.array(VolumeSummarySchema)),
    create: method(z.object({ name: VolumeName }).strict(), VolumeSummarySchema),
    remove: method(z.object({ name: VolumeName }).strict(), Nothing),
    ...volumeDetailContract,
    ...volumeTransferContract,
  },
  engine: {
    /** The connection state now, then every change. */
    state: stream(NoArgs, ConnectionStateSchema, 16),
    /** Container, image, volume and network events from the engine. */
    events: stream(NoArgs, EngineEventItemSchema, 256),
  },
  /** Logs across containers. */
  logs: logsContract,
  terminal: terminalContract,
  app: appContract,
  networks: networkContract,
  system: systemContract,
  machine: machineContract,
  engines: enginesContract,
  settings: settingsContract,
  compose: composeContract,
} as const;

export type BerthContract = typeof berthContract;
export type Namespace = keyof BerthContract;
type Entry = MethodDefinition | StreamDefinition;

/** Every "namespace.name" with its definition, for the transports' tables. */
export function contractEntries(): Array<[string, Entry]> {
  const entries: Array<[string, Entry]> = [];
  for (const [namespace, members] of Object.entries(berthContract)) {
    for (const [name, definition] of Object.entries(members as Record<string, Entry>)) {
      entries.push([`${namespace}.${name}`, definition]);
    }
  }
  return entries;
}

export type ArgsOf<D> = D extends MethodDefinition<infer A> | StreamDefinition<infer A> ? z.input<A> : never;
export type ResultOf<D> = D extends MethodDefinition<z.ZodType, infer R> ? z.output<R> : never;
export type ItemOf<D> = D extends StreamDefinition<z.ZodType, infer I> ? z.output<I> : never;
export type EngineEventItem = z.output<typeof EngineEventItemSchema>;
