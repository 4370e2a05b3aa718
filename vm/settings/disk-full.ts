/**
 * What a person reads when the VM's data disk is full: which disk, how big, and the two ways out.
 * The engine only says "no space left on device" (engine/core/errors.ts recognises it); this says it
 * in Berth's terms. Pure.
 */
export function vmDiskFullMessage(diskGiB: number): string {
  return `Berth's VM disk is full (${diskGiB} GiB): remove unused images and containers (Prune) or raise vm.diskGiB in Settings.`;
}
