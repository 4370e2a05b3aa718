/** compose's progress folded for the dialog: the newest status per object, in first-seen order, plus its other lines. */
import type { ComposeUpProgress } from '../../../../app/contract/compose-contract';

export interface ComposeProgressLog {
  /** `Container shop-web-1` -> its latest status ("Started"). */
  steps: Array<{ key: string; status: string }>;
  lines: string[];
  project: string | null;
}

export const EMPTY_COMPOSE_LOG: ComposeProgressLog = { steps: [], lines: [], project: null };
/** compose's own lines are few; a long pull's are bounded here. */
const MAX_LINES = 200;

export function applyComposeItem(log: ComposeProgressLog, item: ComposeUpProgress): ComposeProgressLog {
  switch (item.kind) {
    case 'done':
      return { ...log, project: item.project };
    case 'line':
      return { ...log, lines: [...log.lines.slice(-(MAX_LINES - 1)), item.text] };
    case 'step': {
      const key = `${item.object} ${item.name}`;
      const index = log.steps.findIndex((step) => step.key === key);
      const steps =
        index < 0 ? [...log.steps, { key, status: item.status }] : log.steps.with(index, { key, status: item.status });
      return { ...log, steps };
    }
  }
}
