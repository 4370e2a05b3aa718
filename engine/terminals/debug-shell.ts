/**
 * Debug shells for containers that have no shell, or are stopped.
 *
 * - Running, no shell: a helper container from a busybox-only image joins the target's PID and network
 *   namespaces (`--pid container:X --network container:X`), so `ps`, `kill`, `netstat` see the target,
 *   and its filesystem is at /proc/1/root, where the shell starts.
 * - Stopped: the container is committed to a temporary image and a copy runs with a busybox put into
 *   /.berth-debug; the shell sees the stopped container's files as they were (changes do not go back).
 *
 * The helper image (archive/helper-image.ts) is built from the host's /bin/busybox. When Berth ships
 * with its VM the image comes with it.
 * Everything created is labelled and removed when the session ends.
 */
import type Dockerode from 'dockerode';
import type { EngineConnection } from '../core/index.js';
import { toEngineError } from '../core/index.js';
import { ensureHelperImage, HELPER_IMAGE, readHostBusybox } from '../archive/index.js';
import { createTar } from '../archive/index.js';

export const DEBUG_LABEL = 'dev.berth.debug-for';
const SLEEP_FOREVER = 'sleep 2147483647';

export interface DebugTarget {
  /** The container the shell runs in (helper or copy). */
  containerId: string;
  /** Options for ShellExecService.open in it. */
  shell: string;
  workdir?: string;
  startIn?: string;
  env?: string[];
  /** What happened, in a sentence shown in the tab. */
  note: string;
  cleanup(): Promise<void>;
}

async function removeQuietly(task: () => Promise<unknown>): Promise<void> {
  await task().catch(() => undefined);
}

/** A helper sharing a running container's PID and network namespaces. */
export async function startHelperFor(connection: EngineConnection, target: Dockerode.ContainerInspectInfo): Promise<DebugTarget> {
  const { docker } = connection;
  await ensureHelperImage(docker);
  const name = target.Name.replace(/^\//, '');
  let helper: Dockerode.Container;
  try {
    helper = await docker.createContainer({
      Image: HELPER_IMAGE,
      // The applets are installed at start, so the image stays one file.
      Cmd: ['/bin/busybox', 'sh', '-c', `/bin/busybox --install -s /bin && exec /bin/busybox ${SLEEP_FOREVER}`],
      Labels: { [DEBUG_LABEL]: target.Id },
      HostConfig: {
        PidMode: `container:${target.Id}`,
        NetworkMode: `container:${target.Id}`,
        // Reading /proc/1/root and tracing the target's processes.
        CapAdd: ['SYS_PTRACE'],
        AutoRemove: false,
      },
    });
    await helper.start();
  } catch (error) {
    throw toEngineError(error, `start a debug helper for ${name}`);
  }
  const helperName = (await helper.inspect()).Name.replace(/^\//, '');
  return {
    containerId: helper.id,
    shell: '/bin/sh',
    // runc refuses /proc/1/root as the exec's working directory ("possible container breakout"): cd there instead.
    startIn: '/proc/1/root',
    note:
      `Debug shell: ${name} has no shell, so a helper container (${helperName}, busybox) shares its processes and network. ` +
      `Its files are here, at /proc/1/root. The helper is removed when this tab closes.`,
    cleanup: () => removeQuietly(() => helper.remove({ force: true })),
  };
}

/** A running copy of a stopped container (committed to a temporary image) with a busybox put in. */
export async function startCopyOf(connection: EngineConnection, target: Dockerode.ContainerInspectInfo): Promise<DebugTarget> {
  const { docker } = connection;
  const busybox = await readHostBusybox();
  const name = target.Name.replace(/^\//, '');
  let imageId: string | undefined;
  let copy: Dockerode.Container | undefined;
  const cleanup = async () => {
    if (copy) await removeQuietly(() => copy!.remove({ force: true }));
    if (imageId) await removeQuietly(() => docker.getImage(imageId!).remove({ force: true }));
  };
  try {
    const committed = (await docker.getContainer(target.Id).commit({ comment: `Berth debug copy of ${name}` })) as { Id: string };
    imageId = committed.Id;
    copy = await docker.createContainer({
      Image: imageId,
      Entrypoint: ['/.berth-debug/busybox'],
      Cmd: ['sh', '-c', `/.berth-debug/busybox --install -s /.berth-debug && exec /.berth-debug/busybox ${SLEEP_FOREVER}`],
      User: '0',
      WorkingDir: '/',
      Labels: { [DEBUG_LABEL]: target.Id },
      HostConfig: { NetworkMode: 'none', AutoRemove: false },
    });
    await copy.putArchive(createTar([{ path: '.berth-debug/busybox', content: busybox, mode: 0o755 }]), { path: '/' });
    await copy.start();
  } catch (error) {
    await cleanup();
    throw toEngineError(error, `start a debug copy of ${name}`);
  }
  return {
    containerId: copy.id,
    shell: '/.berth-debug/sh',
    workdir: target.Config.WorkingDir || '/',
    env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/.berth-debug'],
    note:
      `Debug shell: ${name} is stopped, so it was committed to a temporary image and a copy runs with busybox added ` +
      `(in /.berth-debug, no network). Changes here do not reach ${name}. The copy and image are removed when this tab closes.`,
    cleanup,
  };
}
