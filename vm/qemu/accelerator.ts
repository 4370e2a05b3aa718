// Picks KVM only when it demonstrably runs a guest. /dev/kvm existing is not enough: under nested
// virtualization here, QEMU opens it and then aborts on the first vCPU MSR write.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { AcceleratorFamily } from '../platform/host-platform.js';
import { VmError } from '../vm-error.js';
import { guestArchForHost, machineProfile, type GuestArch } from './machine-profile.js';
import type { Accelerator } from './qemu-args.js';
import type { QemuInstallation } from './qemu-binary.js';

export interface AcceleratorChoice {
  accelerator: Accelerator;
  reason: string;
}

export interface ProbeOptions {
  timeoutMs?: number;
  /** The guest's architecture (amd64 by default); one other than the host CPU's is always emulated. */
  guestArch?: GuestArch;
  /** Node's name for the host CPU (process.arch by default). */
  hostArch?: string;
  /** The QEMU program found for this boot (by default the guest architecture's, from the PATH). */
  qemuSystem?: string;
}

/**
 * Boots the kernel with KVM and no init (panic=-1, -no-reboot): success is seeing it start. A guest of
 * another architecture than the host's CPU is always emulated (TCG), without a probe.
 */
export async function probeAccelerator(kernelPath: string, options: ProbeOptions = {}): Promise<AcceleratorChoice> {
  const { timeoutMs = 5000, guestArch = 'amd64', hostArch = process.arch } = options;
  if (guestArchForHost(hostArch) !== guestArch)
    return { accelerator: 'tcg', reason: `an ${guestArch} VM on this ${hostArch} computer is emulated` };
  if (!fs.existsSync('/dev/kvm')) return { accelerator: 'tcg', reason: 'no /dev/kvm' };
  try {
    fs.accessSync('/dev/kvm', fs.constants.R_OK | fs.constants.W_OK);
  } catch {
    return { accelerator: 'tcg', reason: '/dev/kvm not accessible' };
  }
  const profile = machineProfile(guestArch);
  const args = [
    ...['-M', profile.probeMachine, '-accel', 'kvm', '-cpu', 'host', '-m', '256'],
    ...['-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot', '-serial', 'stdio'],
    ...['-kernel', kernelPath, '-append', `console=${profile.console} panic=-1 rdinit=/berth-no-init`],
  ];
  return new Promise((resolve) => {
    const qemu = spawn(options.qemuSystem ?? profile.qemuBinary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let settled = false;
    const finish = (choice: AcceleratorChoice): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (qemu.exitCode === null) qemu.kill('SIGKILL');
      resolve(choice);
    };
    const onOutput = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Linux version')) finish({ accelerator: 'kvm', reason: 'KVM booted a probe guest' });
    };
    qemu.stdout.on('data', onOutput);
    qemu.stderr.on('data', onOutput);
    qemu.on('error', (error) => finish({ accelerator: 'tcg', reason: `KVM probe failed: ${error.message}` }));
    qemu.on('exit', () => {
      const firstError = output.split('\n').find((line) => line.includes('qemu-system')) ?? 'exited';
      finish({ accelerator: 'tcg', reason: `KVM probe failed: ${firstError.trim()}` });
    });
    const timer = setTimeout(() => finish({ accelerator: 'tcg', reason: 'KVM probe timed out' }), timeoutMs);
  });
}

/** What to tell a person when the VM runs without hardware acceleration; null when it has it. */
export function accelerationNotice(choice: AcceleratorChoice): string | null {
  if (choice.accelerator !== 'tcg') return null;
  return `No hardware acceleration (${choice.reason}): the VM runs under software emulation (TCG), several times slower.`;
}

export interface AcceleratorRequest {
  family: Extract<AcceleratorFamily, 'kvm' | 'hvf'>;
  /** TCG whatever the host has: the macOS profile's VM tests on a Linux machine. */
  forceTcg?: boolean;
  kernelPath: string;
  guestArch: GuestArch;
  qemu: QemuInstallation;
}

/**
 * The accelerator for this host: KVM when a probe guest boots under it, else TCG (Linux); HVF on macOS,
 * where TCG is no fallback (several times slower, and a Mac always has HVF unless something is wrong,
 * which a person should hear about): a QEMU built without it is refused here, and one that cannot get
 * it at run time is reported by hvfFailure when QEMU exits.
 */
export async function chooseAccelerator(request: AcceleratorRequest): Promise<AcceleratorChoice> {
  if (request.forceTcg) return { accelerator: 'tcg', reason: 'TCG chosen for this VM' };
  if (request.family === 'kvm') {
    return probeAccelerator(request.kernelPath, { guestArch: request.guestArch, qemuSystem: request.qemu.qemuSystem });
  }
  requireHvf(request.qemu);
  return { accelerator: 'hvf', reason: 'Hypervisor.framework' };
}

/** Throws the VmError for a QEMU built without Hypervisor.framework (checked with QEMU itself, before the image). */
export function requireHvf(qemu: QemuInstallation): void {
  if (qemu.accelerators.includes('hvf')) return;
  const listed = qemu.accelerators.join(', ') || 'nothing';
  throw new VmError(
    `This QEMU (${qemu.qemuSystem}) cannot use Hypervisor.framework: \`-accel help\` lists ${listed}, not hvf. Install Homebrew's QEMU, which has it: brew install qemu.`,
  );
}

/**
 * What QEMU printed when `-accel hvf` failed (a build without it, or Hypervisor.framework refusing:
 * HV_DENIED for a binary without the hypervisor entitlement, HV_UNSUPPORTED on a CPU without VT-x or
 * under a VM without nested virtualization, HV_BUSY when another hypervisor holds it); null otherwise.
 */
export function hvfFailure(qemuStderr: string): string | null {
  const line = qemuStderr
    .split('\n')
    .find((text) => /invalid accelerator hvf|\bHV_[A-Z_]+\b|\bhvf\b.*(not|fail|unavailable|denied)/i.test(text));
  return line?.trim() ?? null;
}

/** The VmError for a QEMU that exited because HVF is unavailable. */
export function hvfUnavailableError(failure: string): VmError {
  return new VmError(
    `Hardware virtualization (Hypervisor.framework) is not available to QEMU (it said: "${failure}"). ` +
      'An Intel Mac needs a CPU with VT-x that no other hypervisor holds; a Mac that is itself a VM needs nested virtualization; ' +
      "a QEMU of your own needs the com.apple.security.hypervisor entitlement (Homebrew's has it: brew install qemu).",
  );
}

/** Why QEMU exited before the engine was ready, in a person's words (HVF unavailable has its own). */
export function qemuExitedError(when: string, exitStatus: string, stderr: string): VmError {
  const hvf = hvfFailure(stderr);
  if (hvf) return hvfUnavailableError(hvf);
  const said = stderr.trim().split('\n')[0];
  return new VmError(`QEMU exited ${when} (${exitStatus})${said ? `: ${said}` : ''}.`);
}
