/**
 * The WSL 2 machine with the real wsl.exe: what app/composition/vm-host.ts creates when
 * vm/platform/host-platform.ts gives a host the 'wsl2' provider (Windows).
 */
import type { DockerContextOptions } from '../host/docker-context.js';
import type { VmSettings, VmSettingsSource } from '../settings/vm-settings.js';
import { WslMachine } from './wsl-machine.js';
import { createWslRunner } from './wsl-runner.js';

export interface WslEngineMachineOptions {
  stateDir: string;
  imageDir: string;
  settings?: Partial<VmSettings>;
  settingsSource?: VmSettingsSource;
  dockerContext?: DockerContextOptions | false;
}

export function createWslEngineMachine(options: WslEngineMachineOptions): WslMachine {
  return new WslMachine({ ...options, runner: createWslRunner() });
}
