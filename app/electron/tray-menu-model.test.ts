import { describe, expect, it } from 'vitest';
import { trayMenuModel, type TrayItem } from './tray-menu-model.js';

const labels = (items: TrayItem[]) => items.map((item) => (item.kind === 'separator' ? '---' : item.label));

describe('trayMenuModel', () => {
  it('offers Stop for a running VM, Open Berth, the five newest containers, and Quit', () => {
    const containers = Array.from({ length: 7 }, (_, i) => ({ name: `c${i}`, state: i % 2 ? 'running' : 'exited', created: i }));
    const items = trayMenuModel({ vm: 'running', containers });
    expect(labels(items)).toEqual([
      'Engine VM: running',
      'Stop the VM',
      '---',
      'Open Berth',
      '---',
      'Recent containers',
      'c6 (exited)',
      'c5 (running)',
      'c4 (exited)',
      'c3 (running)',
      'c2 (exited)',
      '---',
      'Quit Berth',
    ]);
    expect(items[1]).toMatchObject({ enabled: true, action: { kind: 'stop-vm' } });
    expect(items[6]).toMatchObject({ action: { kind: 'open-container', name: 'c6' } });
  });

  it('offers Start for a stopped or failed VM, and neither while it stops or without a VM', () => {
    expect(trayMenuModel({ vm: 'stopped', containers: [] })[1]).toMatchObject({ label: 'Start the VM', enabled: true });
    expect(trayMenuModel({ vm: 'error', containers: [] })[1]).toMatchObject({ label: 'Start the VM', enabled: true });
    expect(trayMenuModel({ vm: 'stopping', containers: [] })[1]).toMatchObject({ label: 'Start the VM', enabled: false });
    expect(trayMenuModel({ vm: 'starting', containers: [] })[1]).toMatchObject({ label: 'Stop the VM', enabled: false });
    expect(labels(trayMenuModel({ vm: null, containers: [] }))).toEqual([
      'Engine: chosen at start (not managed by Berth)',
      '---',
      'Open Berth',
      '---',
      'Quit Berth',
    ]);
  });
});
