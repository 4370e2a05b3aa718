// Disk usage by kind (images, containers, volumes, build cache) and pruning it.
export { DiskUsageService } from './disk-usage-service.js';
export { type PruneResult } from './disk-usage-types.js';
