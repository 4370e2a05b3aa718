/** Reducers for the image streams: a build's log (image-task-store) and a run's progress (useStreamTask). */
import type { BuildProgressItem, RunProgressItem, TransferProgressItem } from '../../../../app/contract/image-contract';

export interface BuildLog {
  text: string;
  imageId: string | null;
  tags: string[];
}
export const EMPTY_BUILD_LOG: BuildLog = { text: '', imageId: null, tags: [] };

/** Keeps the last 512 KiB of a build log: enough to read back, bounded for a chatty build. */
const MAX_LOG_CHARS = 512 * 1024;
export function appendBuildItem(log: BuildLog, item: BuildProgressItem): BuildLog {
  if (item.kind === 'done') return { ...log, imageId: item.imageId, tags: item.tags };
  const text = log.text + item.text;
  return { ...log, text: text.length > MAX_LOG_CHARS ? text.slice(text.length - MAX_LOG_CHARS) : text };
}

export interface RunState {
  pull: TransferProgressItem | null;
  container: { id: string; name: string } | null;
  started: boolean;
}
export const EMPTY_RUN: RunState = { pull: null, container: null, started: false };

export function applyRunItem(state: RunState, item: RunProgressItem): RunState {
  switch (item.kind) {
    case 'pulling':
      return { ...state, pull: item.progress };
    case 'created':
      return { ...state, container: { id: item.containerId, name: item.name } };
    case 'started':
      return { ...state, container: { id: item.containerId, name: item.name }, started: true };
  }
}
