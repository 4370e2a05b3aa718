/**
 * Which accelerator QEMU gets. KVM on Linux only when it really works: on our build machines /dev/kvm
 * exists but nested KVM fails, so the choice rests on a probe that starts a VM, not on the device
 * node. HVF on macOS. TCG (software emulation) otherwise, with a notice that it is slow.
 */
export type Accelerator = 'kvm' | 'hvf' | 'tcg';

export interface AcceleratorChoice {
  accelerator: Accelerator;
  /** Shown to the person when Berth runs slower than it could; null when all is well. */
  notice: string | null;
}

export interface AcceleratorProbe {
  platform: NodeJS.Platform;
  /** Result of actually starting a throwaway KVM guest; undefined when not tried (not Linux). */
  kvmWorks?: { ok: true } | { ok: false; reason: string };
}

export function chooseAccelerator(probe: AcceleratorProbe): AcceleratorChoice {
  if (probe.platform === 'darwin') return { accelerator: 'hvf', notice: null };
  if (probe.platform === 'linux') {
    if (probe.kvmWorks?.ok) return { accelerator: 'kvm', notice: null };
    const reason = probe.kvmWorks && !probe.kvmWorks.ok ? probe.kvmWorks.reason : 'KVM was not probed';
    return {
      accelerator: 'tcg',
      notice: `KVM is not usable here (${reason}); the VM runs under software emulation (TCG) and is several times slower.`,
    };
  }
  return {
    accelerator: 'tcg',
    notice: 'No hardware accelerator for this platform; the VM runs under software emulation (TCG), several times slower.',
  };
}
