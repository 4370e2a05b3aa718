/** The system part of the contract's implementation: disk usage and pruning, over the DiskUsageService. */
import type { DiskUsageService } from '../../engine/disk/index.js';
import type { BerthImplementation } from './implementation.js';

export function createSystemImplementation(diskUsage: DiskUsageService): Omit<BerthImplementation['system'], 'diagnose'> {
  return {
    diskUsage: () => diskUsage.diskUsage(),
    prune: ({ kind }) => diskUsage.prune(kind),
  };
}
