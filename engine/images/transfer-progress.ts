/**
 * Folds the engine's JSON progress messages for a pull or a push into one snapshot: each layer's
 * status, bytes and fraction, and an overall fraction that only moves forward. Pure: the caller feeds
 * messages and asks for snapshots.
 */
import { readLines } from '../../base/index.js';
import { EngineError } from '../core/index.js';
import type { LayerProgress, TransferProgress } from './image-types.js';

/** One line of the engine's progress stream (images/create, images/push, build). */
export interface EngineProgressMessage {
  id?: string;
  status?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string; code?: number };
  aux?: unknown;
  stream?: string;
}

export type TransferKind = 'pull' | 'push';

const PULL_DONE = new Set(['Pull complete', 'Already exists']);
const PUSH_DONE = new Set(['Pushed', 'Layer already exists']);

interface LayerState extends LayerProgress {
  /** Bytes downloaded or uploaded, for the overall byte count (extraction is not transfer). */
  moved: number;
  size: number | null;
}

/** Where a status puts a pull's layer: download is the first half, extraction the second. */
function pullFraction(status: string, current: number | null, total: number | null, previous: number): number {
  const ratio = current !== null && total ? Math.min(1, current / total) : 0;
  switch (status) {
    case 'Downloading':
      return ratio * 0.5;
    case 'Verifying Checksum':
    case 'Download complete':
      return 0.5;
    case 'Extracting':
      return 0.5 + ratio * 0.5;
    default:
      return PULL_DONE.has(status) ? 1 : previous;
  }
}

function pushFraction(status: string, current: number | null, total: number | null, previous: number): number {
  if (PUSH_DONE.has(status) || status.startsWith('Mounted from')) return 1;
  if (status === 'Pushing') return current !== null && total ? Math.min(1, current / total) : previous;
  return previous;
}

export class TransferProgressTracker {
  private readonly layers = new Map<string, LayerState>();
  private message: string | null = null;
  private finished = false;
  private best = 0;

  constructor(
    private readonly kind: TransferKind,
    private readonly reference: string,
  ) {}

  /** Applies one message; throws the engine's error when the message is one. */
  apply(message: EngineProgressMessage): void {
    if (message.error !== undefined || message.errorDetail?.message !== undefined) {
      throw new EngineError('engine-error', (message.errorDetail?.message ?? message.error ?? 'unknown error').trim());
    }
    const status = message.status;
    if (status === undefined) return;
    // Per-layer messages carry the layer's short id; others (the tag for "Pulling from", none for
    // "Digest:") are about the whole transfer.
    const layerId = message.id !== undefined && /^[0-9a-f]{12}$/.test(message.id) ? message.id : null;
    if (layerId === null) {
      this.message = message.id ? `${message.id}: ${status}` : status;
      return;
    }
    const current = message.progressDetail?.current ?? null;
    const total = message.progressDetail?.total ?? null;
    const layer = this.layers.get(layerId) ?? {
      id: layerId,
      status,
      current: null,
      total: null,
      fraction: 0,
      done: false,
      moved: 0,
      size: null,
    };
    const fraction = (this.kind === 'pull' ? pullFraction : pushFraction)(status, current, total, layer.fraction);
    const done = (this.kind === 'pull' ? PULL_DONE : PUSH_DONE).has(status) || status.startsWith('Mounted from');
    const transferring = status === 'Downloading' || status === 'Pushing';
    if (transferring && total !== null && total > 0) layer.size = total;
    if (transferring && current !== null) layer.moved = Math.max(layer.moved, current);
    if (status === 'Download complete' || status === 'Pushed') layer.moved = layer.size ?? layer.moved;
    this.layers.set(layerId, {
      ...layer,
      status,
      current,
      total,
      fraction: Math.max(layer.fraction, fraction),
      done: layer.done || done,
    });
  }

  /** The engine closed the stream without an error: the transfer is complete. */
  finish(): void {
    this.finished = true;
  }

  snapshot(): TransferProgress {
    const layers = [...this.layers.values()];
    // Layers already present need no work: counting them would start the bar part-way.
    const working = layers.filter((layer) => layer.status !== 'Already exists' && layer.status !== 'Layer already exists');
    const mean = working.length > 0 ? working.reduce((sum, layer) => sum + layer.fraction, 0) / working.length : 0;
    this.best = this.finished ? 1 : Math.max(this.best, Math.min(mean, 0.99));
    return {
      reference: this.reference,
      layers: layers.map(({ id, status, current, total, fraction, done }) => ({ id, status, current, total, fraction, done })),
      overall: {
        fraction: this.best,
        current: working.reduce((sum, layer) => sum + layer.moved, 0),
        total: working.reduce((sum, layer) => sum + (layer.size ?? 0), 0),
      },
      message: this.message,
      done: this.finished,
    };
  }
}

/**
 * Reads the engine's progress stream (pull, push, build) as messages; a line that is not JSON (a
 * proxy's error page) is reported as the engine's error text rather than dropped.
 */
export async function* readProgressMessages(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<EngineProgressMessage> {
  for await (const line of readLines(source)) {
    let message: EngineProgressMessage;
    try {
      message = JSON.parse(line) as EngineProgressMessage;
    } catch {
      message = { error: line };
    }
    yield message;
  }
}
