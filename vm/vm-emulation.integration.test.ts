/**
 * Images of the other CPU architecture in the VM (`docker run --platform`): the guest registers Debian's
 * QEMU user-mode emulators with binfmt_misc at boot (flag F, so a container's own root needs no
 * emulator). One boot of the host's VM (amd64 here, TCG): a busybox image of the other architecture
 * (arm64 busybox-static from the image build's .deb cache, imported with its platform; no internet)
 * runs and `uname -m` answers as that architecture; a run for a platform the local image does not have
 * is refused naming the one it has; an invalid platform is refused with the format.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineConnection, EngineError } from '../engine/core/index.js';
import { ImageService } from '../engine/images/index.js';
import { busyboxRootTar } from '../engine/testing/test-images.js';
import { waitFor } from '../engine/testing/wait-for.js';
import type { GuestArch } from './qemu/machine-profile.js';
import { printConsoleTailOnFailure } from './testing/console-on-failure.js';
import { staticBusybox } from './testing/static-busybox.js';
import { HOST_GUEST_ARCH, requireTestImage, testImageDir } from './testing/test-image.js';
import { dockerOnVm } from './testing/vm-docker-cli.js';
import { VmService } from './vm-service.js';

const OTHER: GuestArch = HOST_GUEST_ARCH === 'amd64' ? 'arm64' : 'amd64';
const UNAME: Record<GuestArch, string> = { amd64: 'x86_64', arm64: 'aarch64' };
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-vm-emulation-'));
const IMAGE = `berth-test/busybox-${OTHER}:latest`;

async function runToEnd(service: ImageService, platform: string): Promise<unknown> {
  try {
    for await (const item of service.run(
      {
        image: IMAGE,
        command: 'true',
        env: [],
        ports: [],
        volumes: [],
        restart: 'no',
        autoRemove: true,
        interactive: false,
        platform,
      },
      new AbortController().signal,
    )) {
      void item;
    }
    return null;
  } catch (error) {
    return error;
  }
}

describe(`${OTHER} images on the ${HOST_GUEST_ARCH} VM (binfmt_misc, QEMU user mode)`, () => {
  const vm = new VmService({
    stateDir: path.join(root, 'state'),
    imageDir: testImageDir(),
    settings: { cpus: 2, memoryMiB: 1024, diskGiB: 8, sharedFolders: [] },
    dockerContext: false,
  });
  printConsoleTailOnFailure(vm);
  let connection: EngineConnection;

  beforeAll(async () => {
    requireTestImage();
    fs.mkdirSync(path.join(root, 'state'));
    await vm.start();
    connection = new EngineConnection(vm.endpoint());
    connection.start();
    await waitFor('the engine connection', () => connection.state.kind === 'connected', { timeoutMs: 30_000 });
    // The other architecture's busybox, its applets listed by the same version built for this host.
    const busybox = await staticBusybox(path.join(root, OTHER), OTHER);
    const lister = await staticBusybox(path.join(root, 'host'), HOST_GUEST_ARCH);
    await dockerOnVm(vm, ['import', '--platform', `linux/${OTHER}`, '-', IMAGE], await busyboxRootTar({}, busybox, lister));
  });

  afterAll(async () => {
    connection?.dispose();
    await vm.stop().catch(() => undefined);
    vm.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it(`runs a linux/${OTHER} container whose uname -m says ${UNAME[OTHER]}`, async () => {
    const images = await new ImageService(connection).list();
    expect(images.find((image) => image.repoTags.includes(IMAGE))?.platform).toBe(`linux/${OTHER}`);
    // One container (each costs seconds under TCG): its machine, and the kernel's binfmt_misc entry for the
    // emulator, fix-binary (F) included, read from inside it.
    const binfmt = `/proc/sys/fs/binfmt_misc/qemu-${UNAME[OTHER]}`;
    const output = await dockerOnVm(vm, [
      'run',
      '--rm',
      '--privileged',
      '--platform',
      `linux/${OTHER}`,
      IMAGE,
      'sh',
      '-c',
      `uname -m; mount -t binfmt_misc none /proc/sys/fs/binfmt_misc 2>/dev/null; cat ${binfmt}`,
    ]);
    expect(output.split('\n')[0]).toBe(UNAME[OTHER]);
    expect(output).toMatch(/^enabled$/m);
    expect(output).toMatch(/^flags: [A-Z]*F[A-Z]*$/m);
  });

  it('refuses a platform the local image does not have, naming the one it has, and an invalid one with the format', async () => {
    const service = new ImageService(connection);
    const wrong = await runToEnd(service, 'linux/s390x');
    expect(wrong).toBeInstanceOf(EngineError);
    expect((wrong as EngineError).message).toBe(
      `The image ${IMAGE} has no linux/s390x variant here: it is linux/${OTHER} only, and it was not pulled from a registry that could have others.`,
    );
    const invalid = await runToEnd(service, 'arm64');
    expect((invalid as EngineError).code).toBe('invalid-argument');
    expect((invalid as EngineError).message).toMatch(/"arm64" is not a platform: write it as os\/architecture\[\/variant\]/);
  });
});
