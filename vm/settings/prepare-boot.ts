/**
 * Everything a start needs from settings, image, disk and shared folders, checked in the order a person
 * can fix it (QEMU installed and new enough, image intact, settings fit this computer, folders exist)
 * and only then acted on (disk grown, virtiofsd started when folders go over virtiofs; QEMU serves 9p
 * itself). Every check throws a VmError before QEMU is spawned.
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkSharedFolders, sharesConfig } from '../folders/shared-folders.js';
import { requireNinePImage } from '../folders/nine-p-shares.js';
import { startVirtiofsDaemons, type VirtiofsDaemons } from '../folders/virtiofsd.js';
import { verifyVmImage } from '../image/image-check.js';
import type { GuestArch } from '../qemu/machine-profile.js';
import type { EngineVmConfig } from '../qemu/qemu-args.js';
import { requireHvf } from '../qemu/accelerator.js';
import { requireQemu, type QemuInstallation } from '../qemu/qemu-binary.js';
import type { QemuProfile } from '../qemu/qemu-profile.js';
import { VmError } from '../vm-error.js';
import { prepareDataDisk, type DiskPreparation } from './data-disk.js';
import { hostCapacity, vmSettingsProblems, type HostCapacity, type VmSettings, type VmSettingsSource } from './vm-settings.js';

export interface BootPreparationOptions {
  stateDir: string;
  imageDir: string;
  diskPath: string;
  /** The guest's architecture: which image the folder must hold (the profile names its QEMU). */
  guestArch?: GuestArch;
  /** This host's QEMU: where to find it, its minimum version, its accelerator, how folders are shared. */
  profile: QemuProfile;
  /** TCG whatever the profile's accelerator (the macOS profile's tests here): HVF is not required then. */
  forceTcg?: boolean;
  /** Where the settings are stored (the VM's settings.json, or the app's settings file). */
  settingsSource: VmSettingsSource;
  /** Values that win over settings.json (tests, command-line flags). */
  override?: Partial<VmSettings>;
  host?: HostCapacity;
}

export interface PreparedBoot {
  settings: VmSettings;
  /** The parts of the QEMU configuration that come from here; the caller adds ports, sockets, TLS. */
  config: Pick<
    EngineVmConfig,
    'guestArch' | 'kernelPath' | 'initrdPath' | 'rootImagePath' | 'cpus' | 'memoryMiB' | 'sharedFolders' | 'ninePFolders'
  >;
  /** The QEMU found and checked for this boot. */
  qemu: QemuInstallation;
  /** fw_cfg entries to add (the shared folder list), name -> file. */
  configFiles: Record<string, string>;
  /** The host folders the guest is asked to mount, each at its own path. */
  sharedFolders: string[];
  disk: DiskPreparation;
  /** The running virtiofsd processes (none for 9p): stop them once QEMU has exited (or if it never starts). */
  folderDaemons: VirtiofsDaemons;
}

/** The stored settings with the caller's override on top. */
export function effectiveSettings(source: VmSettingsSource, override: Partial<VmSettings> = {}): VmSettings {
  return { ...source.load(), ...override };
}

export async function prepareBoot(options: BootPreparationOptions): Promise<PreparedBoot> {
  const { stateDir, imageDir, diskPath, guestArch = 'amd64' } = options;
  const qemu = await requireQemu(options.profile);
  if (options.profile.accelerator === 'hvf' && !options.forceTcg) requireHvf(qemu);
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const image = verifyVmImage(imageDir, stateDir, guestArch);
  const ninePFolders = options.profile.folderSharing === '9p';
  if (ninePFolders) requireNinePImage(imageDir);
  const settings = effectiveSettings(options.settingsSource, options.override);
  // The disk size is not checked against the data here: a smaller setting never shrinks the disk.
  const problems = vmSettingsProblems(settings, options.host ?? hostCapacity());
  if (problems.length > 0) throw new VmError(problems.join(' '));
  const mounts = checkSharedFolders(settings.sharedFolders);

  const disk = await prepareDataDisk(diskPath, settings.diskGiB, qemu.qemuImg);
  const configFiles: Record<string, string> = {};
  const sharesFile = path.join(stateDir, 'shares');
  if (mounts.length > 0) {
    fs.writeFileSync(sharesFile, sharesConfig(mounts));
    configFiles.shares = sharesFile;
  } else {
    fs.rmSync(sharesFile, { force: true });
  }
  const folderDaemons = await startVirtiofsDaemons(ninePFolders ? [] : mounts, stateDir, options.profile.firstDirs);
  return {
    settings,
    config: {
      guestArch,
      ...image,
      cpus: settings.cpus,
      memoryMiB: settings.memoryMiB,
      sharedFolders: folderDaemons.devices,
      ninePFolders: ninePFolders ? mounts : [],
    },
    qemu,
    configFiles,
    sharedFolders: mounts.map((mount) => mount.path),
    disk,
    folderDaemons,
  };
}
