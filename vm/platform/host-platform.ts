/**
 * Which VM provider this computer gets, for which guest CPU, with which accelerator: decided once from
 * the host's OS and CPU (process.platform, process.arch), before anything is looked up or started.
 * Pure: the QEMU profile (vm/qemu/qemu-profile.ts) and the WSL2 provider (vm/wsl/) build on it.
 */
import { guestArchForHost, type GuestArch } from '../qemu/machine-profile.js';
import { VmError } from '../vm-error.js';

/** The host operating systems Berth's engine VM runs on. */
export type HostOs = 'linux' | 'darwin' | 'win32';
/** QEMU on Linux and macOS; WSL2 on Windows (which is itself a Hyper-V VM). */
export type VmProvider = 'qemu' | 'wsl2';
/**
 * kvm: KVM when a probe guest boots under it, else TCG (software) with a notice; hvf: Apple's
 * Hypervisor.framework (`-accel hvf`); hyper-v: WSL2's own VM.
 */
export type AcceleratorFamily = 'kvm' | 'hvf' | 'hyper-v';

export interface HostPlatform {
  os: HostOs;
  provider: VmProvider;
  /** The host CPU's architecture: the guest runs natively, never emulated across architectures. */
  guestArch: GuestArch;
  accelerator: AcceleratorFamily;
}

/** What process.platform and process.arch say (strings: a test can name any host). */
export interface HostIdentity {
  os: string;
  arch: string;
}

const PROVIDER: Record<HostOs, { provider: VmProvider; accelerator: AcceleratorFamily }> = {
  linux: { provider: 'qemu', accelerator: 'kvm' },
  darwin: { provider: 'qemu', accelerator: 'hvf' },
  win32: { provider: 'wsl2', accelerator: 'hyper-v' },
};
/** In a person's words, for the unsupported-host message. */
const SUPPORTED = 'Linux (x64 or arm64), macOS (Apple Silicon or Intel) and Windows (x64 or arm64)';
const OS_NAMES: Record<string, string> = { linux: 'Linux', darwin: 'macOS', win32: 'Windows' };

function isHostOs(os: string): os is HostOs {
  return Object.hasOwn(PROVIDER, os);
}

/** The provider, guest architecture and accelerator for this host; a VmError naming what is supported otherwise. */
export function hostPlatform(host: HostIdentity = { os: process.platform, arch: process.arch }): HostPlatform {
  const guestArch = guestArchForHost(host.arch);
  if (!isHostOs(host.os)) {
    throw new VmError(
      `Berth's engine VM does not run on ${host.os} (${host.arch}): it runs on ${SUPPORTED}. Point Berth at an existing engine instead (--engine or DOCKER_HOST).`,
    );
  }
  if (!guestArch) {
    throw new VmError(
      `Berth's engine VM does not run on this computer's ${host.arch} CPU: on ${OS_NAMES[host.os]} it needs a 64-bit x64 or arm64 CPU (it runs on ${SUPPORTED}). Point Berth at an existing engine instead (--engine or DOCKER_HOST).`,
    );
  }
  return { os: host.os, guestArch, ...PROVIDER[host.os] };
}
