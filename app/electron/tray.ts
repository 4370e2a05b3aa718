/**
 * The tray icon's menu (Electron glue only: the menu is tray-menu-model.ts). Rebuilt when the VM's
 * state changes and on container events (debounced), never on a timer. Returns a disposer.
 */
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import type { BerthApp } from '../composition/index.js';
import { trayMenuModel, type TrayAction, type TrayInput } from './tray-menu-model.js';

export function startTray(berth: BerthApp, handlers: { open: (hash?: string) => void; quit: () => void }): () => void {
  const tray = new Tray(nativeImage.createEmpty());
  tray.setToolTip('Berth');
  let containers: TrayInput['containers'] = [];
  const vmState = (): TrayInput['vm'] => (berth.host.kind === 'vm' ? berth.host.vm.state.kind : null);
  const run = (action: TrayAction) => {
    if (berth.host.kind === 'vm' && action.kind === 'start-vm') void berth.host.vm.start().catch(() => undefined);
    if (berth.host.kind === 'vm' && action.kind === 'stop-vm') void berth.host.vm.stop().catch(() => undefined);
    if (action.kind === 'open') handlers.open();
    if (action.kind === 'open-container') handlers.open(`#/containers/${encodeURIComponent(action.name)}/logs`);
    if (action.kind === 'quit') handlers.quit();
  };
  const render = () => {
    const template = trayMenuModel({ vm: vmState(), containers }).map((item): MenuItemConstructorOptions =>
      item.kind === 'separator'
        ? { type: 'separator' }
        : { label: item.label, enabled: item.enabled, click: item.action ? () => run(item.action!) : undefined },
    );
    tray.setContextMenu(Menu.buildFromTemplate(template));
  };
  let pending: NodeJS.Timeout | undefined;
  const refreshContainers = () => {
    clearTimeout(pending);
    pending = setTimeout(() => {
      berth.services.containers.list().then(
        (list) => {
          containers = list;
          render();
        },
        () => undefined, // the engine is away: the menu keeps what it last knew
      );
    }, 500);
  };
  const subscriptions = [
    berth.services.connection.onEvent((event) => event.type === 'container' && refreshContainers()),
    berth.services.connection.onStateChange((state) => state.kind === 'connected' && refreshContainers()),
    ...(berth.host.kind === 'vm' ? [berth.host.vm.onChange(render)] : []),
  ];
  render();
  refreshContainers();
  return () => {
    clearTimeout(pending);
    for (const subscription of subscriptions) subscription.dispose();
    tray.destroy();
  };
}
