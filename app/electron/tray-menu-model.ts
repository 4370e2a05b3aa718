/**
 * The tray menu as data: the VM's state, Start or Stop, Open Berth, the most recent containers (a
 * click opens Berth at the container), Quit. Pure, so it is tested without Electron; tray.ts turns
 * it into Electron's Menu.
 */
export type TrayAction =
  { kind: 'start-vm' } | { kind: 'stop-vm' } | { kind: 'open' } | { kind: 'open-container'; name: string } | { kind: 'quit' };

export type TrayItem = { kind: 'separator' } | { kind: 'item'; label: string; enabled: boolean; action: TrayAction | null };

export interface TrayInput {
  /** The VM's state kind, or null when Berth uses an engine it does not manage. */
  vm: 'stopped' | 'starting' | 'running' | 'resting' | 'stopping' | 'error' | null;
  /** Newest first (by creation). */
  containers: ReadonlyArray<{ name: string; state: string; created: number }>;
}

export const RECENT_CONTAINERS = 5;

const VM_LABELS = {
  stopped: 'Engine VM: stopped',
  starting: 'Engine VM: starting…',
  running: 'Engine VM: running',
  resting: 'Engine VM: resting (wakes on the next request)',
  stopping: 'Engine VM: stopping…',
  error: 'Engine VM: failed',
} as const;

export function trayMenuModel({ vm, containers }: TrayInput): TrayItem[] {
  const info = (label: string): TrayItem => ({ kind: 'item', label, enabled: false, action: null });
  const items: TrayItem[] = [];
  if (vm === null) {
    items.push(info('Engine: chosen at start (not managed by Berth)'));
  } else {
    items.push(info(VM_LABELS[vm]));
    const canStop = vm === 'running' || vm === 'resting' || vm === 'starting';
    items.push(
      canStop
        ? { kind: 'item', label: 'Stop the VM', enabled: vm === 'running' || vm === 'resting', action: { kind: 'stop-vm' } }
        : { kind: 'item', label: 'Start the VM', enabled: vm !== 'stopping', action: { kind: 'start-vm' } },
    );
  }
  items.push({ kind: 'separator' }, { kind: 'item', label: 'Open Berth', enabled: true, action: { kind: 'open' } });
  const recent = [...containers].sort((a, b) => b.created - a.created).slice(0, RECENT_CONTAINERS);
  if (recent.length > 0) {
    items.push({ kind: 'separator' }, info('Recent containers'));
    for (const container of recent) {
      items.push({
        kind: 'item',
        label: `${container.name} (${container.state})`,
        enabled: true,
        action: { kind: 'open-container', name: container.name },
      });
    }
  }
  items.push({ kind: 'separator' }, { kind: 'item', label: 'Quit Berth', enabled: true, action: { kind: 'quit' } });
  return items;
}
