// The WSL 2 provider (Windows): the door other folders import. Built and unit-tested; not yet run on Windows.
export { ENGINE_PIPE_PATH, listenEngineRelay, type EngineRelayOptions } from './named-pipe-relay.js';
export { createWslEngineMachine, type WslEngineMachineOptions } from './windows-machine.js';
export { sharedDriveRoots, toWslPath, WSL_AUTOMOUNT_ROOT } from './windows-paths.js';
export { DEFAULT_DISTRO_NAME, wslAvailability, wslCommands, type WslAvailability } from './wsl-commands.js';
export { WslMachine, type WslMachineOptions } from './wsl-machine.js';
export { createWslRunner, type WslProcess, type WslRunner } from './wsl-runner.js';
