/** The system part of the contract's implementation: disk usage and pruning, over the DiskUsageService. */
import type { DiskUsageService } from '../../engine/disk/index.js';
import type { PortHolderFinder } from '../../engine/ports/index.js';
import type { BerthImplementation } from './implementation.js';

export function createSystemImplementation(
  diskUsage: DiskUsageService,
  portHolders: PortHolderFinder,
): Omit<BerthImplementation['system'], 'diagnose' | 'diagnosticsDownload'> {
  return {
    portHolder: ({ port }) => portHolders.find(port),
    diskUsage: () => diskUsage.diskUsage(),
    prune: ({ kind }) => diskUsage.prune(kind),
  };
}
