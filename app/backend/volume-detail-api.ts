/** The volume detail members of `volumes` (see volume-contract.ts), over the volume services. */
import type { DiskUsageService } from '../../engine/disk/index.js';
import type { VolumeBrowser } from '../../engine/volumes/index.js';
import type { VolumeService } from '../../engine/volumes/index.js';
import type { volumeDetailContract } from '../contract/volume-contract.js';
import type { BerthImplementation } from './implementation.js';

type VolumeDetailImplementation = Pick<BerthImplementation['volumes'], keyof typeof volumeDetailContract>;

export function createVolumeDetailImplementation(
  volumes: VolumeService,
  browser: VolumeBrowser,
  diskUsage: DiskUsageService,
): VolumeDetailImplementation {
  return {
    detail: async ({ name }) => {
      const volume = await volumes.inspect(name);
      return { volume, containers: await volumes.users(name) };
    },
    usage: ({ name }) => diskUsage.volumeUsage(name),
    browse: ({ name, path }) => browser.list(name, path),
    readFile: ({ name, path }) => browser.readFile(name, path),
    prune: () => diskUsage.prune('volumes'),
  };
}
