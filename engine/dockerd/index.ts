// A private dockerd on this machine: the launcher's host engine when no system one runs, and the tests' engine.
export { type LocalDockerd, processRunning, startLocalDockerd, stopDockerdIn } from './local-dockerd.js';
