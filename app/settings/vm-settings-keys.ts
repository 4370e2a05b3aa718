/** The VM's settings (vm/settings' VmSettings) as the dotted keys of the settings file, and back. */
import type { SettingValues } from '../contract/settings-contract.js';

/** The shape of vm/settings' VmSettings, stated here so app/settings needs no import from vm/. */
export interface VmSettingsShape {
  cpus: number;
  memoryMiB: number;
  diskGiB: number;
  sharedFolders: string[];
  startOnLaunch: boolean;
  restAfterMinutes: number;
}

export function toVmSettings(values: SettingValues): VmSettingsShape {
  return {
    cpus: values['vm.cpus'],
    memoryMiB: values['vm.memoryMiB'],
    diskGiB: values['vm.diskGiB'],
    sharedFolders: [...values['vm.sharedFolders']],
    startOnLaunch: values['vm.startOnLaunch'],
    restAfterMinutes: values['vm.restAfterMinutes'],
  };
}

export function fromVmSettings(settings: VmSettingsShape): Pick<SettingValues, `vm.${keyof VmSettingsShape}`> {
  return {
    'vm.cpus': settings.cpus,
    'vm.memoryMiB': settings.memoryMiB,
    'vm.diskGiB': settings.diskGiB,
    'vm.sharedFolders': [...settings.sharedFolders],
    'vm.startOnLaunch': settings.startOnLaunch,
    'vm.restAfterMinutes': settings.restAfterMinutes,
  };
}

export function vmPartChanged(current: SettingValues, next: SettingValues): boolean {
  return JSON.stringify(toVmSettings(current)) !== JSON.stringify(toVmSettings(next));
}
