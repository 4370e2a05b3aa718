import { describe, expect, it } from 'vitest';
import { buildQemuArgs, kernelCommandLine, qemuBinary, type EngineVmConfig } from './qemu-args.js';

const config: EngineVmConfig = {
  kernelPath: '/img/vmlinux',
  initrdPath: '/img/initramfs.img',
  diskPath: '/state/data,1.qcow2',
  diskFormat: 'qcow2',
  accelerator: 'tcg',
  memoryMiB: 2048,
  cpus: 2,
  engineHostPort: 41234,
  serialLogPath: '/state/serial.log',
  qmpSocketPath: '/state/qmp.sock',
  configFiles: { 'ca.pem': '/tls/ca.pem' },
  tscKhz: 2596124,
};

describe('kernelCommandLine', () => {
  it('passes the TSC frequency and matching lpj for a reliable microvm boot', () => {
    const line = kernelCommandLine(config);
    expect(line).toContain('tsc_early_khz=2596124');
    expect(line).toContain('lpj=10384496'); // 2596124 kHz / 250 Hz
    expect(line).toContain('apparmor=0');
    expect(line).toContain('tsc=reliable');
  });

  it('omits the TSC hints when the frequency is unknown', () => {
    expect(kernelCommandLine({ ...config, tscKhz: undefined })).not.toContain('tsc');
  });
});

describe('buildQemuArgs', () => {
  const args = buildQemuArgs(config);
  const valueOf = (flag: string) => args.filter((_, i) => args[i - 1] === flag);

  it('forwards only 127.0.0.1 to the guest TLS port', () => {
    expect(valueOf('-netdev')).toEqual(['user,id=n0,hostfwd=tcp:127.0.0.1:41234-:2376']);
  });

  it('exposes config files under opt/berth and escapes commas in paths', () => {
    expect(valueOf('-fw_cfg')).toEqual(['name=opt/berth/ca.pem,file=/tls/ca.pem']);
    expect(valueOf('-drive')[0]).toContain('file=/state/data,,1.qcow2,');
  });

  it('attaches the root image read-only, and names both disks by serial for the guest to tell apart', () => {
    const withRoot = buildQemuArgs({ ...config, rootImagePath: '/img/rootfs.img' });
    const drives = withRoot.filter((_, i) => withRoot[i - 1] === '-drive');
    const devices = withRoot.filter((_, i) => withRoot[i - 1] === '-device');
    expect(drives[0]).toBe('id=root,file=/img/rootfs.img,format=raw,if=none,readonly=on');
    expect(devices).toContain('virtio-blk-device,drive=root,serial=berth-root');
    expect(devices).toContain('virtio-blk-device,drive=data,serial=berth-data');
    expect(valueOf('-drive')).toHaveLength(1); // a kernel-only boot (the benchmark's floor) has no root image
  });

  it('uses the host CPU model only with KVM', () => {
    expect(valueOf('-cpu')).toEqual(['max,erms=off,fsrm=off']);
    expect(buildQemuArgs({ ...config, accelerator: 'kvm' })).toContain('host');
  });

  it("caps TCG's buffer of translated code, which QEMU never gives back", () => {
    expect(valueOf('-accel')).toEqual(['tcg,tb-size=256']);
    const kvm = buildQemuArgs({ ...config, accelerator: 'kvm' });
    expect(kvm[kvm.indexOf('-accel') + 1]).toBe('kvm');
  });

  it('rejects fw_cfg names that could escape opt/berth', () => {
    expect(() => buildQemuArgs({ ...config, configFiles: { '../etc': '/x' } })).toThrow(/invalid fw_cfg name/);
  });
});

describe('buildQemuArgs with shared folders', () => {
  const withFolders = { ...config, sharedFolders: [{ tag: 'berth0', socketPath: '/state/berth0.sock' }] };
  const args = buildQemuArgs(withFolders);
  const valueOf = (flag: string) => args.filter((_, i) => args[i - 1] === flag);

  it('backs guest RAM with a shared memfd of the same size, which virtiofsd needs', () => {
    expect(valueOf('-M')[0]).toContain(',memory-backend=mem');
    expect(valueOf('-object')).toEqual(['memory-backend-memfd,id=mem,size=2048M,share=on']);
    expect(valueOf('-m')).toEqual(['2048']);
  });

  it('attaches one vhost-user-fs device (virtio-mmio) per virtiofsd socket', () => {
    expect(valueOf('-chardev')).toEqual(['socket,id=fs0,path=/state/berth0.sock']);
    expect(valueOf('-device')).toContain('vhost-user-fs-device,chardev=fs0,tag=berth0');
  });

  it('gives freed guest memory back through a free-page-reporting balloon', () => {
    expect(buildQemuArgs(config).join(' ')).toContain('-device virtio-balloon-device,free-page-reporting=on');
  });

  it("serves the guest's rest agent on a virtio-serial port only when given a socket", () => {
    expect(buildQemuArgs(config).join(' ')).not.toContain('virtserialport');
    const args = buildQemuArgs({ ...config, restAgentSocketPath: '/state/rest,1.sock' }).join(' ');
    expect(args).toContain('-chardev socket,id=rest,path=/state/rest,,1.sock,server=on,wait=off');
    expect(args).toContain(
      '-device virtio-serial-device -chardev socket,id=rest,path=/state/rest,,1.sock,server=on,wait=off -device virtserialport,chardev=rest,name=org.berth.rest',
    );
  });

  it('stops a boot at the snapshot point with a resume port, and waits for saved state only to restore', () => {
    const plain = buildQemuArgs(config);
    expect(plain.join(' ')).not.toContain('berth.snapshot');
    const taking = buildQemuArgs({
      ...config,
      restAgentSocketPath: '/s/rest.sock',
      bootSnapshot: { resumeSocketPath: '/s/resume.sock', incoming: false },
    });
    const joined = taking.join(' ');
    expect(taking[taking.indexOf('-append') + 1]).toMatch(/ berth\.snapshot=1$/);
    // One virtio-serial device for both ports.
    expect(joined.match(/virtio-serial-device/g)).toHaveLength(1);
    expect(joined).toContain(
      '-chardev socket,id=resume,path=/s/resume.sock,server=on,wait=off -device virtserialport,chardev=resume,name=org.berth.resume',
    );
    expect(taking).not.toContain('-incoming');
    const restoring = buildQemuArgs({
      ...config,
      restAgentSocketPath: '/s/rest.sock',
      bootSnapshot: { resumeSocketPath: '/s/resume.sock', incoming: true },
    });
    // The same machine, plus waiting for its state.
    expect(restoring).toEqual([...taking, '-incoming', 'defer']);
  });

  it('keeps private memory when nothing is shared', () => {
    expect(buildQemuArgs(config)).not.toContain('-object');
  });

  it('rejects a tag the guest could not parse', () => {
    expect(() => buildQemuArgs({ ...config, sharedFolders: [{ tag: 'a b', socketPath: '/s' }] })).toThrow(/invalid virtiofs tag/);
  });
});

describe('an arm64 guest', () => {
  const arm = { ...config, guestArch: 'arm64' as const, kernelPath: '/img/Image' };
  const args = buildQemuArgs(arm);
  const valueOf = (flag: string) => args.filter((_, i) => args[i - 1] === flag);

  it('runs qemu-system-aarch64 with the virt machine and the cheap pointer authentication under TCG', () => {
    expect(qemuBinary(arm)).toBe('qemu-system-aarch64');
    expect(qemuBinary(config)).toBe('qemu-system-x86_64');
    expect(valueOf('-M')).toEqual(['virt,gic-version=max']);
    expect(valueOf('-cpu')).toEqual(['max,pauth-impdef=on']);
    expect(buildQemuArgs({ ...arm, accelerator: 'kvm' }).filter((_, i, all) => all[i - 1] === '-cpu')).toEqual(['host']);
  });

  it('talks on the PL011 console and passes no x86 TSC hints', () => {
    const line = kernelCommandLine(arm);
    expect(line.split(' ')).toContain('console=ttyAMA0');
    expect(line).not.toContain('tsc');
    expect(line).not.toContain('ttyS0');
  });

  it('uses the same virtio-mmio devices, and the memfd backend on virt for virtiofs', () => {
    expect(valueOf('-device')).toEqual(buildQemuArgs(config).filter((_, i, all) => all[i - 1] === '-device'));
    const shared = buildQemuArgs({ ...arm, sharedFolders: [{ tag: 'share0', socketPath: '/s/fs0.sock' }] });
    expect(shared.filter((_, i) => shared[i - 1] === '-M')).toEqual(['virt,gic-version=max,memory-backend=mem']);
    expect(shared).toContain('vhost-user-fs-device,chardev=fs0,tag=share0');
  });
});

describe('buildQemuArgs with the macOS profile', () => {
  const ninePFolders = [{ tag: 'berth0', path: '/Users/me' }];

  it('shares folders over 9p with no vhost-user device or shared memory, and tells the guest', () => {
    const args = buildQemuArgs({ ...config, ninePFolders });
    expect(args).toContain('virtio-9p-device,fsdev=p9fs0,mount_tag=berth0');
    expect(args.join(' ')).not.toMatch(/vhost-user-fs|memory-backend-memfd/);
    expect(kernelCommandLine({ ...config, ninePFolders })).toContain('berth.shares=9p');
    expect(kernelCommandLine(config)).not.toContain('berth.shares');
  });

  it('runs HVF with the host CPU model', () => {
    const args = buildQemuArgs({ ...config, accelerator: 'hvf' });
    const accel = args.indexOf('-accel');
    expect(args.slice(accel, accel + 4)).toEqual(['-accel', 'hvf', '-cpu', 'host']);
  });
});
