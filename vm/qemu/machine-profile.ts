/**
 * What differs between the VM's two CPU architectures, in one place: the QEMU program, the machine
 * and CPU models, the kernel file and its console. Everything else (virtio-mmio devices named
 * `virtio-*-device`, fw_cfg entries, the guest's init) is the same on both: `-M microvm` and `-M virt`
 * both expose virtio-mmio transports, found by the guest through ACPI on microvm and through the
 * device tree on virt. Pure: the VM backend, the accelerator probe, the image check and the smoke
 * test read the same facts.
 */

/** A guest architecture, in Debian's words (the image folder and the packages it is built from). */
export type GuestArch = 'amd64' | 'arm64';

export const GUEST_ARCHES: readonly GuestArch[] = ['amd64', 'arm64'];

export interface MachineProfile {
  arch: GuestArch;
  /** The QEMU system emulator for this guest. */
  qemuBinary: string;
  /** The Debian package that has it (for the "install it with" hint). */
  qemuDebianPackage: string;
  /** The kernel file build-image.sh writes for this architecture, and how to recognise it. */
  kernelFile: string;
  kernelMagic: { offset: number; hex: string };
  /** `-M` value; `sharedMemory` adds the memfd backend that virtiofsd needs. */
  machine(options: { sharedMemory: boolean }): string;
  /** `-M` value for the KVM probe (a kernel-only boot). */
  probeMachine: string;
  /** `-cpu` under TCG; hardware accelerators use `host`. */
  tcgCpu: string;
  /** The serial console's device name in the guest. */
  console: string;
  /** Whether the kernel takes the host's TSC frequency (x86 only: microvm hangs now and then without). */
  takesTsc: boolean;
}

const AMD64: MachineProfile = {
  arch: 'amd64',
  qemuBinary: 'qemu-system-x86_64',
  qemuDebianPackage: 'qemu-system-x86',
  kernelFile: 'vmlinux',
  kernelMagic: { offset: 0, hex: '7f454c46' }, // ELF, with the PVH entry note
  // acpi=on: the cloud kernel finds virtio-mmio devices and fw_cfg only through ACPI (no
  // VIRTIO_MMIO_CMDLINE_DEVICES), and system_powerdown arrives as an ACPI power button.
  machine: ({ sharedMemory }) =>
    `microvm,acpi=on,x-option-roms=off,isa-serial=on,rtc=on${sharedMemory ? ',memory-backend=mem' : ''}`,
  probeMachine: 'microvm,acpi=on',
  // A leaner x86-64-v2 model (qemu64 plus SSSE3, SSE4.x, POPCNT, CX16; no AVX) brought the engine up
  // 0.6 s later once the livelock it was blamed for was fixed (QEMU's multi-threaded TCG and the
  // kernel's int3 code patching: init-stage1.sh, vm/README.md).
  // Without ERMS and FSRM the guest kernel copies with `rep movsq` and unrolled moves instead of
  // `rep movsb`, which TCG runs a byte per step: 100 MB written into a container 2.1-2.5 s -> 1.5 s,
  // a `docker cp` over virtio-serial 9.3 -> 6.0 s; container starts unchanged (vm/README.md).
  tcgCpu: 'max,erms=off,fsrm=off',
  console: 'ttyS0',
  takesTsc: true,
};

const ARM64: MachineProfile = {
  arch: 'arm64',
  qemuBinary: 'qemu-system-aarch64',
  qemuDebianPackage: 'qemu-system-arm',
  kernelFile: 'Image',
  kernelMagic: { offset: 56, hex: '41524d64' }, // "ARMd": the arm64 boot Image header
  // virt: device tree, PL011 console, PL031 clock, PL061 GPIO with the power key (system_powerdown
  // presses it: gpio-keys in the guest), fw_cfg and 32 virtio-mmio transports. gic-version=max: GICv3
  // under TCG (more than 8 vCPUs), whatever the host has under KVM or HVF.
  machine: ({ sharedMemory }) => `virt,gic-version=max${sharedMemory ? ',memory-backend=mem' : ''}`,
  probeMachine: 'virt,gic-version=max',
  // QEMU 7.2's `max` authenticates pointers with the architected QARMA algorithm, which TCG emulates
  // slowly: the kernel reached /init in 12-14 s with it and in 2.5-2.8 s with the implementation-defined
  // (cheap) one (vm/README.md).
  tcgCpu: 'max,pauth-impdef=on',
  console: 'ttyAMA0',
  takesTsc: false,
};

export function machineProfile(arch: GuestArch): MachineProfile {
  return arch === 'arm64' ? ARM64 : AMD64;
}

/** The guest architecture that runs natively on a host CPU (Node's process.arch); null when there is none. */
export function guestArchForHost(hostArch: string = process.arch): GuestArch | null {
  if (hostArch === 'x64') return 'amd64';
  if (hostArch === 'arm64') return 'arm64';
  return null;
}

export function isGuestArch(value: string): value is GuestArch {
  return (GUEST_ARCHES as readonly string[]).includes(value);
}
