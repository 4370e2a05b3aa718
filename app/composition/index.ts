// The composition: how a shell builds Berth (engine choice, services, implementation, shutdown) from its launch options.
export { composeBerth, type BerthApp, type ShellParts } from './compose-berth.js';
export { LaunchOptionsError, parseLaunchOptions, USAGE, type LaunchOptions } from './launch-options.js';
export { VM_CLI_PLUGINS_SUBDIR, VM_IMAGE_SUBDIR, VM_SCRIPTS_SUBDIR } from './vm-host.js';
