// The engine connection and what every domain builds on: endpoints, the connection's state machine, requests and streams, typed errors, read-ahead.
export { type ConnectionState } from './connection-state.js';
export {
  DEFAULT_UNIX_SOCKET,
  describeEndpoint,
  endpointFromEnvironment,
  type EngineEndpoint,
  parseEngineAddress,
  readTlsMaterial,
  type TlsMaterial,
} from './endpoint.js';
export {
  createDockerode,
  DEFAULT_HEARTBEAT,
  describeConnectError,
  EngineConnection,
  type EngineClientOptions,
  type EngineConnectionOptions,
  type HeartbeatOptions,
  type HeartbeatPing,
} from './engine-connection.js';
export { openEngineStream, readAvailable } from './engine-request.js';
export {
  type ContainerState,
  type ContainerSummary,
  type EngineEvent,
  type ImageSummary,
  type PublishedPort,
  type VolumeSummary,
} from './engine-types.js';
export { EngineError, engineStoppedError, isDiskFullError, isEngineCutOff, toEngineError } from './errors.js';
export { ReadAhead } from './read-ahead.js';
