// The QEMU command line for the engine VM (microvm machine, direct kernel boot, virtio-mmio devices).
// Kept free of I/O so the VM backend and the smoke test build the same machine. What differs between
// amd64 (microvm) and arm64 (virt) comes from machine-profile.ts.
import { ninePDeviceArgs } from '../folders/nine-p-shares.js';
import type { SharedFolderMount } from '../folders/shared-folders.js';
import { machineProfile, type GuestArch } from './machine-profile.js';

/** hvf: Apple's Hypervisor.framework, on macOS. */
export type Accelerator = 'kvm' | 'tcg' | 'hvf';

export interface EngineVmConfig {
  /** The guest's CPU architecture (default amd64): which QEMU, machine and console. */
  guestArch?: GuestArch;
  /** amd64: uncompressed PVH vmlinux (preferred) or bzImage; arm64: the boot Image (build-image.sh). */
  kernelPath: string;
  initrdPath: string;
  /** The read-only root file system (rootfs.img) the initramfs mounts; absent for a kernel-only boot. */
  rootImagePath?: string;
  /** The persistent ext4 data disk (formatted by the guest on first boot). */
  diskPath: string;
  diskFormat: 'qcow2' | 'raw';
  accelerator: Accelerator;
  memoryMiB: number;
  cpus: number;
  /** 127.0.0.1 port forwarded to dockerd's TLS port 2376 in the guest. */
  engineHostPort: number;
  serialLogPath: string;
  qmpSocketPath: string;
  /** fw_cfg entries, exposed in the guest as /sys/firmware/qemu_fw_cfg/by_name/opt/berth/NAME/raw. */
  configFiles: Record<string, string>;
  /** Host TSC frequency: passed as tsc_early_khz/lpj, without which microvm hangs in ~1 of 6 boots. */
  tscKhz?: number;
  extraKernelArgs?: string[];
  /** virtiofs shared folders: one vhost-user-fs device per virtiofsd socket (started before QEMU). */
  sharedFolders?: Array<{ tag: string; socketPath: string }>;
  /** 9p shared folders, served by QEMU itself (hosts without virtiofsd: macOS). */
  ninePFolders?: SharedFolderMount[];
  /**
   * The host end of the guest's rest agent (vm/image/rest-agent.sh): a virtio-serial port named
   * org.berth.rest, served by QEMU on this unix socket. Absent: no port (the guest's agent then exits).
   */
  restAgentSocketPath?: string;
  /**
   * Boot snapshots (vm/snapshot/): the guest stops at the snapshot's point (berth.snapshot=1) and waits
   * for a line on the virtio-serial port org.berth.resume, served on resumeSocketPath. incoming: QEMU
   * waits for the saved state (QMP migrate-incoming) instead of booting. Apart from -incoming, a
   * restore runs the very command line the snapshot was taken with.
   */
  bootSnapshot?: { resumeSocketPath: string; incoming: boolean };
}

const GUEST_ENGINE_PORT = 2376;
/** The user network's id: what `set_link` and `hostfwd_add` name. */
export const NETWORK_ID = 'n0';
// CONFIG_HZ of Debian's cloud kernel; lpj is TSC ticks per jiffy.
const KERNEL_HZ = 250;
const FW_CFG_NAME = /^[a-z0-9][a-z0-9._-]{0,39}$/;
// virtio-fs tags are at most 36 bytes; ours are plain names the guest's /init splits on a space.
const VIRTIOFS_TAG = /^[a-z0-9][a-z0-9_-]{0,35}$/;

/**
 * TCG's buffer for translated guest code, in MiB. QEMU's default is 1 GiB, filled as the guest runs new
 * code and never given back: after 20 containers had run and gone, 886 MiB of QEMU's RSS was this
 * buffer. At 256 a full buffer is flushed and refilled instead; container starts took as long
 * (vm/README.md, "Memory given back").
 */
export const TCG_CODE_BUFFER_MIB = 256;

export function kernelCommandLine(config: EngineVmConfig): string {
  const profile = machineProfile(config.guestArch ?? 'amd64');
  const args = [`console=${profile.console}`, 'quiet', 'panic=-1', 'apparmor=0'];
  if (profile.takesTsc && config.tscKhz && config.tscKhz > 0) {
    const khz = Math.round(config.tscKhz);
    // tsc=reliable: with 2+ vCPUs under TCG the kernel's TSC sync check fails ("Marking TSC unstable
    // due to TSCs unsynchronized") and it falls back to refined-jiffies, a clock that loses ticks
    // under load (the guest's time ran 12-35% slow) and has no vDSO, so every clock read is a
    // syscall. TCG's TSC is the host's invariant TSC, the same on every vCPU; KVM keeps kvm-clock.
    args.push(`tsc_early_khz=${khz}`, `lpj=${Math.round((khz * 1000) / KERNEL_HZ)}`, 'tsc=reliable');
  }
  // Tells the guest's /init how to mount the folders listed in its shares file (virtiofs otherwise).
  if (config.ninePFolders?.length) args.push('berth.shares=9p');
  if (config.bootSnapshot) args.push('berth.snapshot=1');
  return [...args, ...(config.extraKernelArgs ?? [])].join(' ');
}

/** The QEMU program that runs this configuration's guest. */
export function qemuBinary(config: Pick<EngineVmConfig, 'guestArch'>): string {
  return machineProfile(config.guestArch ?? 'amd64').qemuBinary;
}

export function buildQemuArgs(config: EngineVmConfig): string[] {
  const profile = machineProfile(config.guestArch ?? 'amd64');
  const fwCfg = Object.entries(config.configFiles).flatMap(([name, file]) => {
    if (!FW_CFG_NAME.test(name)) throw new Error(`invalid fw_cfg name: ${name}`);
    return ['-fw_cfg', `name=opt/berth/${name},file=${escapeOption(file)}`];
  });
  const folders = config.sharedFolders ?? [];
  // virtiofsd reads and writes guest memory directly, so guest RAM must be a shared file mapping
  // (memfd, share=on) instead of QEMU's private anonymous memory; only then, as it changes how the
  // host accounts the VM's memory.
  const sharedMemory = folders.length > 0;
  const virtiofs = folders.flatMap((folder, index) => {
    if (!VIRTIOFS_TAG.test(folder.tag)) throw new Error(`invalid virtiofs tag: ${folder.tag}`);
    return [
      ...['-chardev', `socket,id=fs${index},path=${escapeOption(folder.socketPath)}`],
      // The virtio-mmio flavour: microvm has no PCI.
      ...['-device', `vhost-user-fs-device,chardev=fs${index},tag=${folder.tag}`],
    ];
  });
  return [
    ...['-M', profile.machine({ sharedMemory })],
    ...(sharedMemory ? ['-object', `memory-backend-memfd,id=mem,size=${config.memoryMiB}M,share=on`] : []),
    // The virtio-mmio transports (microvm's and virt's) default to the legacy (version 1) interface,
    // which vhost-user backends refuse ("virtio legacy devices aren't supported by libvhost-user":
    // virtiofsd exits on the first request). Linux has driven the modern interface since 4.x.
    ...['-global', 'virtio-mmio.force-legacy=false'],
    // TCG: the profile's model (machine-profile.ts). Multi-threaded, as single-threaded TCG costs 1.3 s
    // of boot and one host core for both vCPUs.
    ...['-accel', config.accelerator === 'tcg' ? `tcg,tb-size=${TCG_CODE_BUFFER_MIB}` : config.accelerator],
    ...['-cpu', config.accelerator === 'tcg' ? profile.tcgCpu : 'host'],
    ...['-smp', String(config.cpus), '-m', String(config.memoryMiB)],
    ...['-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot'],
    ...['-kernel', config.kernelPath, '-initrd', config.initrdPath, '-append', kernelCommandLine(config)],
    ...['-serial', `file:${config.serialLogPath}`, '-monitor', 'none'],
    ...['-qmp', `unix:${config.qmpSocketPath},server=on,wait=off`],
    // The guest tells the disks apart by serial (/sys/block/vdX/serial): virtio-mmio numbers them in
    // an order that is not the command line's.
    ...(config.rootImagePath
      ? [
          ...['-drive', `id=root,file=${escapeOption(config.rootImagePath)},format=raw,if=none,readonly=on`],
          ...['-device', 'virtio-blk-device,drive=root,serial=berth-root'],
        ]
      : []),
    ...['-drive', `id=data,file=${escapeOption(config.diskPath)},format=${config.diskFormat},if=none,discard=unmap`],
    ...['-device', 'virtio-blk-device,drive=data,serial=berth-data'],
    // The -nic user,... of a PC machine, spelled out for virtio-mmio.
    ...['-netdev', `user,id=${NETWORK_ID},hostfwd=tcp:127.0.0.1:${config.engineHostPort}-:${GUEST_ENGINE_PORT}`],
    ...['-device', `virtio-net-device,netdev=${NETWORK_ID}`],
    ...['-device', 'virtio-rng-device'],
    // Free page reporting: the guest tells QEMU which pages it freed and QEMU gives them back to the
    // host, so QEMU's RSS follows what the guest uses instead of the most it ever used. Guest memory
    // shared with virtiofsd (a memfd) is given back the same way (QEMU punches holes in it).
    ...['-device', 'virtio-balloon-device,free-page-reporting=on'],
    ...serialPorts([
      ['rest', 'org.berth.rest', config.restAgentSocketPath],
      ['resume', 'org.berth.resume', config.bootSnapshot?.resumeSocketPath],
    ]),
    ...virtiofs,
    ...ninePDeviceArgs(config.ninePFolders ?? []),
    ...fwCfg,
    ...(config.bootSnapshot?.incoming ? ['-incoming', 'defer'] : []),
  ];
}

/** One virtio-serial device carrying a port for each [id, name, unix socket] whose socket is given. */
function serialPorts(ports: Array<[id: string, name: string, socketPath: string | undefined]>): string[] {
  const served = ports.filter(([, , socketPath]) => socketPath);
  if (served.length === 0) return [];
  return [
    '-device',
    'virtio-serial-device',
    ...served.flatMap(([id, name, socketPath]) => [
      ...['-chardev', `socket,id=${id},path=${escapeOption(socketPath!)},server=on,wait=off`],
      ...['-device', `virtserialport,chardev=${id},name=${name}`],
    ]),
  ];
}

/** QEMU option values separate with commas; a literal comma is written twice. */
function escapeOption(value: string): string {
  return value.replaceAll(',', ',,');
}
