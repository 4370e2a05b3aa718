// The control socket: where the `berth` command reaches a running Berth (the contract, over a unix socket in the state folder).
export { BerthAlreadyRunningError, claimControlSocket, type ControlServer } from './control-server.js';
export { connectControlSocket, NoBerthRunningError, type ControlConnection } from './control-client.js';
export {
  CONTROL_SOCKET_NAME,
  controlSocketPath,
  controlSocketProblem,
  probeControlSocket,
  UnsafeControlSocketError,
} from './control-socket.js';
export { berthVersion, createAppShell, LOG_FILE_ENV, type ShellDoors } from './app-shell.js';
