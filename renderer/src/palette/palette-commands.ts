/**
 * What the command palette offers: every view, the image dialogs, the VM's controls, and each
 * container's actions by name. Built from the engine's data as plain descriptions (the action is
 * data, not a closure), so the list is pure and tested; use-palette-runner.ts carries them out.
 */
import type { MachineStatus } from '../../../app/contract/machine-contract';
import type { ContainerSummary } from '../../../engine/core/engine-types';
import { VIEW_LABELS, VIEW_NAMES, type DetailTab, type Route } from '../navigation';

export type ContainerLifecycle = 'start' | 'stop' | 'restart';
export type ImageDialogKind = 'pull' | 'run' | 'build';
export type VmAction = 'start' | 'stop' | 'restart';

export type PaletteAction =
  | { kind: 'navigate'; route: Route }
  | { kind: 'container'; action: ContainerLifecycle; id: string; name: string }
  | { kind: 'remove-container'; container: ContainerSummary }
  | { kind: 'terminal'; id: string; name: string }
  | { kind: 'image-dialog'; dialog: ImageDialogKind }
  | { kind: 'vm'; action: VmAction };

export interface PaletteCommand {
  /** Unique in the list: the option's id in the listbox. */
  id: string;
  /** What the person reads and types against. */
  label: string;
  /** A muted hint beside it (what it acts on). */
  hint: string;
  action: PaletteAction;
}

type VmStateKind = NonNullable<MachineStatus['vm']>['state']['kind'];

const TAB_COMMANDS: Array<{ tab: DetailTab; label: (name: string) => string }> = [
  { tab: 'logs', label: (name) => `Show logs of ${name}` },
  { tab: 'inspect', label: (name) => `Inspect ${name}` },
  { tab: 'stats', label: (name) => `Show stats of ${name}` },
  { tab: 'files', label: (name) => `Browse files of ${name}` },
];

/** Stop for what runs (or is paused or restarting), Start for the rest: as the container's own buttons. */
const isUp = (container: ContainerSummary) =>
  container.state === 'running' || container.state === 'paused' || container.state === 'restarting';

function containerCommands(container: ContainerSummary): PaletteCommand[] {
  const { id, name } = container;
  const hint = `${container.state} · ${container.image}`;
  const command = (key: string, label: string, action: PaletteAction): PaletteCommand => ({
    id: `container-${key}-${id}`,
    label,
    hint,
    action,
  });
  return [
    isUp(container)
      ? command('stop', `Stop ${name}`, { kind: 'container', action: 'stop', id, name })
      : command('start', `Start ${name}`, { kind: 'container', action: 'start', id, name }),
    command('restart', `Restart ${name}`, { kind: 'container', action: 'restart', id, name }),
    ...(container.state === 'running' ? [command('terminal', `Open terminal in ${name}`, { kind: 'terminal', id, name })] : []),
    ...TAB_COMMANDS.map(({ tab, label }) =>
      command(`tab-${tab}`, label(name), { kind: 'navigate', route: { kind: 'container', ref: name, tab } }),
    ),
    command('remove', `Remove ${name}…`, { kind: 'remove-container', container }),
  ];
}

function vmCommands(state: VmStateKind | null): PaletteCommand[] {
  if (state === null) return []; // an engine Berth does not manage: no VM to start or stop
  const command = (action: VmAction, label: string): PaletteCommand => ({
    id: `vm-${action}`,
    label,
    hint: 'VM',
    action: { kind: 'vm', action },
  });
  return [
    ...(state === 'stopped' || state === 'error' ? [command('start', 'Start the VM')] : []),
    ...(state === 'running' || state === 'resting' || state === 'starting' ? [command('stop', 'Stop the VM')] : []),
    ...(state === 'running' || state === 'resting' ? [command('restart', 'Restart the VM')] : []),
  ];
}

/**
 * The palette's commands, in the order an empty query lists them: places, then the image dialogs and
 * the VM, then the containers by name. `containers` is undefined while the list is not known yet.
 */
export function buildPaletteCommands(input: {
  containers: readonly ContainerSummary[] | undefined;
  vmState: VmStateKind | null;
}): PaletteCommand[] {
  const views = VIEW_NAMES.map((view): PaletteCommand => ({
    id: `view-${view}`,
    label: `Go to ${VIEW_LABELS[view]}`,
    hint: 'View',
    action: { kind: 'navigate', route: { kind: 'view', view } },
  }));
  // The logs explorer by the words people use for it, beside "Go to Logs".
  const logs: PaletteCommand = {
    id: 'open-logs',
    label: 'Open logs',
    hint: 'Logs across containers',
    action: { kind: 'navigate', route: { kind: 'view', view: 'logs' } },
  };
  const images: PaletteCommand[] = [
    { id: 'image-pull', label: 'Pull an image…', hint: 'Images', action: { kind: 'image-dialog', dialog: 'pull' } },
    { id: 'image-run', label: 'Run an image…', hint: 'Images', action: { kind: 'image-dialog', dialog: 'run' } },
    { id: 'image-build', label: 'Build an image…', hint: 'Images', action: { kind: 'image-dialog', dialog: 'build' } },
  ];
  const containers = [...(input.containers ?? [])].sort((a, b) => a.name.localeCompare(b.name)).flatMap(containerCommands);
  return [...views, logs, ...images, ...vmCommands(input.vmState), ...containers];
}
