/** How the disk usage page names each kind and says what its prune removes. */
import type { DiskUsageKind, PruneResult } from '../../../../app/contract/system-contract';
import { formatBytes } from '../../format';

export const DISK_KINDS: Record<DiskUsageKind, { label: string; noun: [string, string]; pruneRemoves: string }> = {
  images: {
    label: 'Images',
    noun: ['image', 'images'],
    pruneRemoves: 'Every image no container uses is removed, tagged or not. Pulling or building one brings it back.',
  },
  containers: {
    label: 'Containers',
    noun: ['container', 'containers'],
    pruneRemoves: 'Every container that is not running is removed, with the files it changed.',
  },
  volumes: {
    label: 'Volumes',
    noun: ['volume', 'volumes'],
    pruneRemoves: 'Every volume no container uses, named or anonymous, is deleted with its data.',
  },
  'build-cache': {
    label: 'Build cache',
    noun: ['cache record', 'cache records'],
    pruneRemoves: 'Every build cache record not in use is removed; the next builds take longer.',
  },
};

/** "2 volumes removed, 204.8 kB reclaimed." */
export function describePrune(result: PruneResult): string {
  const [one, many] = DISK_KINDS[result.kind].noun;
  return `${result.removed} ${result.removed === 1 ? one : many} removed, ${formatBytes(result.spaceReclaimed)} reclaimed.`;
}
