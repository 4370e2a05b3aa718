// Containers: the list and their lifecycle, logs, stats, files and signals.
export { ContainerService, toPublishedPorts } from './container-service.js';
