/** Resting the VM when nothing uses it, waking it on the next request (issue 16: Resource Saver). */
export type { DoorGate, DoorTraffic, RestClock, RestMachine, RestOptions } from './rest-controller.js';
export { SYSTEM_CLOCK, VmRest, VmRestFailedError } from './rest-controller.js';
export {
  DEFAULT_REST_AFTER_MINUTES,
  planRest,
  REST_AFTER_MINUTES_RANGE,
  restAfterAnswers,
  restAfterMinutesProblem,
} from './rest-policy.js';

export { EngineDoor } from './engine-door.js';
export { EngineHeartbeat, type EngineHeartbeatOptions } from './engine-heartbeat.js';
export { GuestRestAgent } from './guest-agent.js';
export { QemuRestMachine, type PausableVm } from './qemu-rest-machine.js';
export { RestSession, type RestSessionOptions } from './rest-session.js';
