/**
 * The WSL 2 machine with the real wsl.exe, and a stopgap chooser: vm/platform/host-platform.ts (being
 * written beside this) will say which provider a host gets, and the composition root will call
 * createWslEngineMachine when it says 'wsl2'. Until they are joined, wslProviderFor is that answer.
 */
import type { DockerContextOptions } from '../host/docker-context.js';
import type { VmSettings } from '../settings/vm-settings.js';
import { WslMachine } from './wsl-machine.js';
import { createWslRunner } from './wsl-runner.js';

export interface WslEngineMachineOptions {
  stateDir: string;
  imageDir: string;
  settings?: Partial<VmSettings>;
  dockerContext?: DockerContextOptions | false;
}

export function createWslEngineMachine(options: WslEngineMachineOptions): WslMachine {
  return new WslMachine({ ...options, runner: createWslRunner() });
}

/** Temporary: 'wsl2' on Windows, where QEMU is not Berth's provider. */
export function wslProviderFor(platform: NodeJS.Platform = process.platform): 'wsl2' | null {
  return platform === 'win32' ? 'wsl2' : null;
}
