/**
 * Pulls, pushes and builds in progress (and how they ended), outside any view: closing their dialog or
 * leaving the Images view does not lose or cancel one (only Cancel does), and a dialog reopened on one
 * shows its progress so far. UI state only, held by this page: a reload forgets them, and the engine
 * cancels their streams when the page's session ends. The subscriptions live in image-tasks.ts.
 */
import { create } from 'zustand';
import type { BuildProgressItem, TransferProgressItem } from '../../../../app/contract/image-contract';
import type { ApiErrorInfo } from '../../../../app/contract/errors';
import { appendBuildItem, EMPTY_BUILD_LOG, type BuildLog } from './transfer-task';

export type ImageTaskKind = 'pull' | 'push' | 'build';
export type ImageTaskPhase = 'running' | 'done' | 'failed' | 'cancelled';

export interface ImageTask {
  id: number;
  kind: ImageTaskKind;
  /** What it works on, as a person typed it: the reference pulled or pushed, a build's tag or context folder. */
  subject: string;
  phase: ImageTaskPhase;
  /** A pull's or push's latest progress. */
  progress: TransferProgressItem | null;
  /** A build's log and result. */
  build: BuildLog;
  error: ApiErrorInfo | null;
}

export type ImageTaskItem = { kind: 'transfer'; item: TransferProgressItem } | { kind: 'build'; item: BuildProgressItem };

/** Finished tasks kept for reading back; running ones always stay. */
const KEEP_FINISHED = 5;

/** Pure: one task folded with one stream item (ignored once it has ended). */
export function applyImageTaskItem(task: ImageTask, item: ImageTaskItem): ImageTask {
  if (task.phase !== 'running') return task;
  return item.kind === 'transfer' ? { ...task, progress: item.item } : { ...task, build: appendBuildItem(task.build, item.item) };
}

/** Pure: the tasks with a new one added, dropping the oldest finished ones beyond KEEP_FINISHED. */
export function withNewTask(tasks: ImageTask[], task: ImageTask): ImageTask[] {
  const finished = tasks.filter((entry) => entry.phase !== 'running');
  const keep = new Set(finished.slice(-(KEEP_FINISHED - 1)).map((entry) => entry.id));
  return [...tasks.filter((entry) => entry.phase === 'running' || keep.has(entry.id)), task];
}

interface ImageTaskState {
  tasks: ImageTask[];
  add: (kind: ImageTaskKind, subject: string) => number;
  apply: (id: number, item: ImageTaskItem) => void;
  /** Ends a running task; a task that already ended keeps its first ending. */
  settle: (id: number, phase: Exclude<ImageTaskPhase, 'running'>, error?: ApiErrorInfo) => void;
  dismiss: (id: number) => void;
}

let nextTaskId = 1;

const update = (tasks: ImageTask[], id: number, change: (task: ImageTask) => ImageTask) =>
  tasks.map((task) => (task.id === id ? change(task) : task));

export const useImageTaskStore = create<ImageTaskState>((set) => ({
  tasks: [],
  add: (kind, subject) => {
    const id = nextTaskId++;
    const task: ImageTask = { id, kind, subject, phase: 'running', progress: null, build: EMPTY_BUILD_LOG, error: null };
    set((state) => ({ tasks: withNewTask(state.tasks, task) }));
    return id;
  },
  apply: (id, item) => set((state) => ({ tasks: update(state.tasks, id, (task) => applyImageTaskItem(task, item)) })),
  settle: (id, phase, error) =>
    set((state) => ({
      tasks: update(state.tasks, id, (task) => (task.phase === 'running' ? { ...task, phase, error: error ?? null } : task)),
    })),
  dismiss: (id) => set((state) => ({ tasks: state.tasks.filter((task) => task.id !== id) })),
}));

/** The task with this id, or null (none asked, or dismissed). */
export const useImageTask = (id: number | null) =>
  useImageTaskStore((state) => (id === null ? null : (state.tasks.find((task) => task.id === id) ?? null)));

/** What a person reads for a task: "Pull of busybox:latest". */
export function imageTaskTitle(task: Pick<ImageTask, 'kind' | 'subject'>): string {
  return `${task.kind === 'pull' ? 'Pull' : task.kind === 'push' ? 'Push' : 'Build'} of ${task.subject}`;
}
