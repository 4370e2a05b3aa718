/**
 * The floor for a VM cold start: the same kernel on the same QEMU machine, booted to an initramfs that
 * holds only a static busybox and an /init that prints one line. Nothing Berth does in its own /init
 * (copying the rootfs, modules, the disk, dockerd) can be faster than this, so the cold-start row is
 * shown as a multiple of it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { EngineVm } from '../../vm/qemu/engine-vm.js';
import { freeLoopbackPort, hostTscKhz } from '../../vm/qemu/host-facts.js';
import { guestArchForHost, type GuestArch } from '../../vm/qemu/machine-profile.js';
import type { Accelerator } from '../../vm/qemu/qemu-args.js';
import { staticBusybox } from '../../vm/testing/static-busybox.js';

const run = promisify(execFile);
const FLOOR_MARKER = 'BERTH-FLOOR';

const TRIVIAL_INIT = `#!/bin/sh
mount -t devtmpfs devtmpfs /dev
exec >/dev/console 2>&1
mount -t proc proc /proc
read -r up _ </proc/uptime
echo "${FLOOR_MARKER} t=$up"
poweroff -f
`;

/**
 * A cpio (newc) initramfs with busybox and the init above, packed by this computer's busybox; the
 * guest's busybox is the guest architecture's (the image build's arm64 one on an x86-64 host).
 */
async function trivialInitramfs(workDir: string, guestArch: GuestArch): Promise<string> {
  const root = path.join(workDir, 'floor-root');
  fs.mkdirSync(path.join(root, 'bin'), { recursive: true });
  for (const dir of ['dev', 'proc']) fs.mkdirSync(path.join(root, dir), { recursive: true });
  const busybox =
    guestArch === guestArchForHost() ? '/bin/busybox' : await staticBusybox(path.join(workDir, 'busybox'), guestArch);
  fs.copyFileSync(busybox, path.join(root, 'bin', 'busybox'));
  fs.chmodSync(path.join(root, 'bin', 'busybox'), 0o755);
  for (const applet of ['sh', 'mount', 'echo', 'poweroff']) fs.symlinkSync('busybox', path.join(root, 'bin', applet));
  fs.writeFileSync(path.join(root, 'init'), TRIVIAL_INIT, { mode: 0o755 });
  const image = path.join(workDir, 'floor-initramfs.cpio');
  await run('sh', ['-c', `cd "${root}" && find . -mindepth 1 | /bin/busybox cpio -o -H newc -R 0:0 > "${image}" 2>/dev/null`]);
  return image;
}

export interface FloorRuns {
  /** ms from QEMU spawn to the marker on the serial console, one per run. */
  spawnToInitMs: number[];
}

/** Boots the trivial initramfs `runs` times with the machine VmService uses (same devices, memory, CPUs). */
export async function measureBootFloor(options: {
  /** Default amd64. */
  guestArch?: GuestArch;
  kernelPath: string;
  accelerator: Accelerator;
  cpus: number;
  memoryMiB: number;
  runs: number;
  /** The QEMU program (default: the guest architecture's, from the PATH): the snapshot rows use a newer one. */
  qemuSystem?: string;
}): Promise<FloorRuns> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-floor-'));
  try {
    const guestArch = options.guestArch ?? 'amd64';
    const initrdPath = await trivialInitramfs(workDir, guestArch);
    const diskPath = path.join(workDir, 'disk.qcow2');
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', diskPath, '1G']);
    const spawnToInitMs: number[] = [];
    for (let i = 0; i < options.runs; i += 1) {
      const vm = await EngineVm.start(
        {
          guestArch,
          kernelPath: options.kernelPath,
          initrdPath,
          diskPath,
          diskFormat: 'qcow2',
          accelerator: options.accelerator,
          memoryMiB: options.memoryMiB,
          cpus: options.cpus,
          engineHostPort: await freeLoopbackPort(),
          serialLogPath: path.join(workDir, `serial-${i}.log`),
          qmpSocketPath: path.join(workDir, 'qmp.sock'),
          configFiles: {},
          tscKhz: hostTscKhz(),
        },
        options.qemuSystem,
      );
      try {
        spawnToInitMs.push(await vm.waitForMarker(FLOOR_MARKER, 60_000));
      } finally {
        vm.kill();
        await vm.exitStatus;
      }
    }
    return { spawnToInitMs };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}
