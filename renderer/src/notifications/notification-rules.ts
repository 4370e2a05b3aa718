/**
 * What deserves a desktop notification, decided from the engine's event stream and the VM's state
 * (never by polling). Pure: the notifier shows what these return.
 *
 * A container's death is unexpected when it was not asked for: a `die` with a non-zero exit status
 * and no `kill` event for that container just before it (Berth's Stop, Restart, Remove and Kill all
 * go through the engine's kill, and so does `docker stop` from a terminal: a person's stop is never a
 * surprise), or any death after an `oom` event (the kernel's OOM killer sends no `kill` event).
 */
import type { EngineEvent } from '../../../engine/core/engine-types';
import type { VmStateView as VmState } from '../../../app/contract/machine-contract';
import type { Route } from '../navigation';

export interface DesktopNotice {
  title: string;
  body: string;
  /** Where a click on the notification leads. */
  route: Route;
  /** Notices with one tag replace each other (one per container, one for the VM). */
  tag: string;
}

/** How long a `kill` or `oom` event explains the container's next `die`. */
const CAUSE_WINDOW_NS = 60_000_000_000;

/** Follows the container events; `observe` answers the notice a `die` deserves, else null. */
export function createDeathWatch() {
  const causes = new Map<string, { cause: 'kill' | 'oom'; timeNano: number }>();
  return {
    observe(event: EngineEvent): DesktopNotice | null {
      if (event.type !== 'container') return null;
      if (event.action === 'oom' || event.action.startsWith('kill')) {
        // An OOM kill stays an OOM kill even if a stop follows it.
        if (causes.get(event.id)?.cause !== 'oom')
          causes.set(event.id, { cause: event.action === 'oom' ? 'oom' : 'kill', timeNano: event.timeNano });
        return null;
      }
      if (event.action === 'destroy') causes.delete(event.id);
      if (event.action !== 'die') return null;
      const known = causes.get(event.id);
      causes.delete(event.id);
      const cause = known && event.timeNano - known.timeNano <= CAUSE_WINDOW_NS ? known.cause : null;
      const name = event.name ?? event.id.slice(0, 12);
      const route: Route = { kind: 'container', ref: event.name ?? event.id, tab: 'logs' };
      if (cause === 'oom') {
        return {
          title: `${name} was killed: out of memory`,
          body: 'The kernel stopped it for using more memory than it may.',
          route,
          tag: `container:${event.id}`,
        };
      }
      if (cause === 'kill' || event.exitCode === undefined || event.exitCode === 0) return null;
      return {
        title: `${name} stopped unexpectedly`,
        body: `It exited with code ${event.exitCode}.`,
        route,
        tag: `container:${event.id}`,
      };
    },
  };
}

/**
 * The VM stopping when nobody asked: a stop through Berth passes through `stopping`, so `running`
 * straight to `stopped` or `error` is a crash or an outside kill. (A start that fails is shown in the
 * Engine view that started it.)
 */
export function vmStopNotice(previous: VmState | null, next: VmState): DesktopNotice | null {
  if (previous?.kind !== 'running' && previous?.kind !== 'resting') return null;
  if (next.kind !== 'stopped' && next.kind !== 'error') return null;
  const route: Route = { kind: 'view', view: 'engine' };
  if (next.kind === 'error') return { title: 'The engine VM stopped', body: next.failure.message, route, tag: 'vm' };
  return { title: 'The engine VM stopped', body: 'It stopped without being asked to.', route, tag: 'vm' };
}

/** A pull, push or build that ended while the person was elsewhere (page hidden, or another view). */
export function taskNotice(
  task: { doneTitle: string; failedTitle: string; failure: string | null; route: Route; tag: string },
  away: boolean,
): DesktopNotice | null {
  if (!away) return null;
  return {
    title: task.failure ? task.failedTitle : task.doneTitle,
    body: task.failure ?? 'Open Berth to see it.',
    route: task.route,
    tag: `task:${task.tag}`,
  };
}
