/**
 * Whether this browser shows Berth's desktop notifications. A per-browser choice, kept in the
 * renderer (localStorage), not in Berth's settings: the permission it needs is the browser's, given
 * per site and per browser profile, so another browser on the same Berth asks (and may be refused) anew.
 */
import { create } from 'zustand';

export type NotificationPermissionState = NotificationPermission | 'unsupported';

const STORAGE_KEY = 'berth.notifications';

interface NotificationSettings {
  /** The person turned them on (and the browser has not refused since). */
  enabled: boolean;
  permission: NotificationPermissionState;
  /** Turns notifications on: asks the browser for its permission if it has not answered yet. */
  turnOn: () => Promise<void>;
  turnOff: () => void;
  /** The browser's answer may change in its site settings while Berth is open. */
  refreshPermission: () => void;
}

function currentPermission(): NotificationPermissionState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

function storedChoice(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'on';
  } catch {
    return false;
  }
}

function storeChoice(on: boolean): void {
  try {
    localStorage.setItem(STORAGE_KEY, on ? 'on' : 'off');
  } catch {
    // Storage refused (a private window's quota): the choice lasts this page only.
  }
}

export const useNotificationSettings = create<NotificationSettings>((set) => ({
  enabled: storedChoice() && currentPermission() === 'granted',
  permission: currentPermission(),
  turnOn: async () => {
    let permission = currentPermission();
    if (permission === 'default') permission = await Notification.requestPermission();
    const enabled = permission === 'granted';
    storeChoice(enabled);
    set({ permission, enabled });
  },
  turnOff: () => {
    storeChoice(false);
    set({ enabled: false });
  },
  refreshPermission: () => {
    const permission = currentPermission();
    set((state) => ({ permission, enabled: state.enabled && permission === 'granted' }));
  },
}));
