// Picks KVM only when it demonstrably runs a guest. /dev/kvm existing is not enough: under nested
// virtualization here, QEMU opens it and then aborts on the first vCPU MSR write.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { guestArchForHost, machineProfile, type GuestArch } from './machine-profile.js';
import type { Accelerator } from './qemu-args.js';

export interface AcceleratorChoice {
  accelerator: Accelerator;
  reason: string;
}

/**
 * Boots the kernel with KVM and no init (panic=-1, -no-reboot): success is seeing it start. A guest of
 * another architecture than the host's CPU is always emulated (TCG), without a probe.
 */
export async function probeAccelerator(
  kernelPath: string,
  timeoutMs = 5000,
  guestArch: GuestArch = 'amd64',
  hostArch: string = process.arch,
): Promise<AcceleratorChoice> {
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
    const qemu = spawn(profile.qemuBinary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
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
  if (choice.accelerator === 'kvm') return null;
  return `No hardware acceleration (${choice.reason}): the VM runs under software emulation (TCG), several times slower.`;
}
