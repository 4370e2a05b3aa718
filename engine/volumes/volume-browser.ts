/**
 * Browsing a volume's files through a short-lived helper container: the volume is mounted read-only at
 * /volume in a busybox container with no network, one command lists a directory (or reads the start of
 * a file), and the container is removed right after. It goes through the engine API only, so it works
 * the same when the engine runs in a VM or on another host, and it never writes to the volume.
 *
 * Which image: Berth's own busybox helper (berth/debug-helper:1, also used by debug shells) when the
 * engine has it, else `busybox:latest` when that was pulled, else the helper is built through the
 * engine API from this machine's static /bin/busybox (no registry needed). When none of that is
 * possible, browsing says so and what to install; nothing is pulled behind the person's back.
 */
import { Writable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { EngineConnection } from '../core/index.js';
import { EngineError, toEngineError } from '../core/index.js';
import { ensureHelperImage, HELPER_IMAGE } from '../archive/index.js';
import { parseListing } from './volume-listing.js';
import { volumePathProblem } from './volume-paths.js';
import type { VolumeFilePreview, VolumeListing } from './volume-detail-types.js';
import { VOLUME_BROWSER_LABEL, type VolumeService } from './volume-service.js';

export const VOLUME_MOUNT = '/volume';
export { VOLUME_BROWSER_LABEL };
/** Output kept from a listing; past it the directory is shown in part, and said to be. */
const MAX_LISTING_BYTES = 1024 * 1024;
export const PREVIEW_BYTES = 64 * 1024;
const HELPER_TIMEOUT_MS = 30_000;

/** Exit codes of the scripts below, for reasons a person can act on. */
const MISSING = 3;
const WRONG_KIND = 4;
const OUTSIDE = 5;

// `cd -P` resolves symbolic links, so a link to /etc is caught instead of listing the helper's own files.
const ENTER = `cd -P -- "$1" 2>/dev/null || { [ -e "$1" ] || [ -L "$1" ] && exit ${WRONG_KIND}; exit ${MISSING}; }
case "$(pwd)" in ${VOLUME_MOUNT}|${VOLUME_MOUNT}/*) ;; *) exit ${OUTSIDE} ;; esac`;

const LIST_SCRIPT = `${ENTER}
/bin/busybox find . -mindepth 1 -maxdepth 1 -exec /bin/busybox stat -c '%f %s %Y %u %g' {} \\; -print0 | /bin/busybox head -c ${MAX_LISTING_BYTES}`;

const READ_SCRIPT = `target=$(/bin/busybox readlink -f -- "$1") || exit ${MISSING}
[ -e "$target" ] || exit ${MISSING}
case "$target" in ${VOLUME_MOUNT}) exit ${WRONG_KIND} ;; ${VOLUME_MOUNT}/*) ;; *) exit ${OUTSIDE} ;; esac
[ -f "$target" ] || exit ${WRONG_KIND}
/bin/busybox stat -c '%s' "$target"
/bin/busybox head -c ${PREVIEW_BYTES} "$target"`;

/** Decodes the start of a file as text, or null when it looks binary (NUL bytes or invalid UTF-8). */
export function previewText(bytes: Buffer): string | null {
  if (bytes.includes(0)) return null;
  try {
    // A multi-byte character cut by the preview's end is not a reason to call the file binary.
    const decoder = new TextDecoder('utf-8', { fatal: true });
    return decoder.decode(bytes, { stream: true });
  } catch {
    return null;
  }
}

interface HelperRun {
  exitCode: number;
  stdout: Buffer;
  stderr: string;
}

export interface VolumeBrowserOptions {
  /** Images tried, in order, when present on the engine. */
  images?: string[];
  /** Makes a helper image when none is present; returns its reference. */
  buildHelper?: (docker: Dockerode) => Promise<string>;
}

export class VolumeBrowser {
  private readonly images: string[];
  private readonly buildHelper: (docker: Dockerode) => Promise<string>;

  constructor(
    private readonly connection: EngineConnection,
    private readonly volumes: VolumeService,
    options: VolumeBrowserOptions = {},
  ) {
    this.images = options.images ?? [HELPER_IMAGE, 'busybox:latest'];
    this.buildHelper = options.buildHelper ?? (async (docker) => (await ensureHelperImage(docker), HELPER_IMAGE));
  }

  async list(volume: string, path: string): Promise<VolumeListing> {
    const run = await this.run(volume, path, LIST_SCRIPT);
    this.assertFound(run, volume, path, 'directory');
    const { entries, truncated } = parseListing(run.stdout);
    return { path, entries, truncated: truncated || run.stdout.length >= MAX_LISTING_BYTES };
  }

  async readFile(volume: string, path: string): Promise<VolumeFilePreview> {
    const run = await this.run(volume, path, READ_SCRIPT);
    this.assertFound(run, volume, path, 'file');
    const newline = run.stdout.indexOf(10);
    const size = Number(run.stdout.subarray(0, newline).toString());
    const content = run.stdout.subarray(newline + 1);
    return { path, size, text: previewText(content), truncated: size > content.length };
  }

  private assertFound(run: HelperRun, volume: string, path: string, kind: 'file' | 'directory'): void {
    switch (run.exitCode) {
      case 0:
        return;
      case MISSING:
        throw new EngineError('not-found', `There is no ${path} in volume ${volume}.`);
      case WRONG_KIND:
        throw new EngineError('invalid-argument', `${path} in volume ${volume} is not a ${kind}.`);
      case OUTSIDE:
        throw new EngineError('invalid-argument', `${path} in volume ${volume} is a link that leads outside the volume.`);
      default:
        throw new EngineError(
          'engine-error',
          `Could not read ${path} in volume ${volume} (helper exit ${run.exitCode}): ${run.stderr.trim() || 'no message'}`,
        );
    }
  }

  private async run(volume: string, path: string, script: string): Promise<HelperRun> {
    const problem = volumePathProblem(path);
    if (problem) throw new EngineError('invalid-argument', problem);
    // Mounting a volume that does not exist would create it: make sure it does first.
    await this.volumes.inspect(volume);
    const docker = this.docker;
    const image = await this.helperImage(docker);
    let helper: Dockerode.Container;
    try {
      helper = await docker.createContainer({
        Image: image,
        Entrypoint: ['/bin/busybox'],
        Cmd: ['sh', '-c', script, 'sh', `${VOLUME_MOUNT}${path === '/' ? '' : path}`],
        User: '0',
        WorkingDir: '/',
        NetworkDisabled: true,
        Labels: { [VOLUME_BROWSER_LABEL]: volume },
        HostConfig: {
          Mounts: [{ Type: 'volume', Source: volume, Target: VOLUME_MOUNT, ReadOnly: true }],
          NetworkMode: 'none',
          LogConfig: { Type: 'none', Config: {} },
          AutoRemove: false,
        },
      });
    } catch (error) {
      throw toEngineError(error, `start a helper to read volume ${volume}`);
    }
    try {
      return await this.collect(helper);
    } catch (error) {
      throw toEngineError(error, `read volume ${volume}`);
    } finally {
      await helper.remove({ force: true }).catch(() => undefined);
    }
  }

  /** Starts the helper attached (output arrives whatever the engine's log driver) and waits for it to exit. */
  private async collect(helper: Dockerode.Container): Promise<HelperRun> {
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    const sink = (take: (chunk: Buffer) => void) =>
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          take(chunk);
          done();
        },
      });
    const stream = (await helper.attach({ stream: true, stdout: true, stderr: true })) as NodeJS.ReadableStream;
    const ended = new Promise<void>((resolve) => {
      stream.once('end', resolve);
      stream.once('close', resolve);
      stream.once('error', () => resolve());
    });
    this.docker.modem.demuxStream(
      stream,
      sink((chunk) => {
        // The scripts bound their own output; this only guards against a helper gone wrong.
        if (stdoutBytes > MAX_LISTING_BYTES + PREVIEW_BYTES) return;
        stdout.push(chunk);
        stdoutBytes += chunk.length;
      }),
      sink((chunk) => {
        if (stderr.length < 4096) stderr += chunk.toString();
      }),
    );
    await helper.start();
    const timer = setTimeout(() => void helper.kill().catch(() => undefined), HELPER_TIMEOUT_MS);
    try {
      const { StatusCode } = (await helper.wait()) as { StatusCode: number };
      await ended;
      return { exitCode: StatusCode, stdout: Buffer.concat(stdout), stderr };
    } finally {
      clearTimeout(timer);
    }
  }

  private get docker(): Dockerode {
    this.connection.assertConnected();
    return this.connection.docker;
  }

  private async helperImage(docker: Dockerode): Promise<string> {
    for (const image of this.images) {
      const present = await docker
        .getImage(image)
        .inspect()
        .then(
          () => true,
          () => false,
        );
      if (present) return image;
    }
    try {
      return await this.buildHelper(docker);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new EngineError(
        'engine-error',
        `Browsing a volume needs a small busybox image to run a helper container, and the engine has none ` +
          `(${this.images.join(', ')}). Berth builds ${HELPER_IMAGE} from this machine's /bin/busybox ` +
          `(apt install busybox-static), or pull busybox into the engine (docker pull busybox). ${reason}`,
      );
    }
  }
}
