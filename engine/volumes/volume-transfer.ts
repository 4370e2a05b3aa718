/**
 * Volume backup and clone through the engine's archive API, so it works the same when dockerd runs in a
 * VM: a helper container that is created, never started, mounts the volume at /volume, and the engine
 * reads (`GET …/archive?path=/volume/.`) or writes (`PUT …/archive?path=/volume`) a tar of it. The
 * engine's tar keeps modes, owners, symbolic links, empty directories and times.
 *
 * Two things the engine does not do, done here:
 * - it takes any bytes as a tar (a text file "succeeds" or fails with "unexpected EOF"), so an import
 *   reads the first 512 bytes first and refuses a file that is not a tar before creating anything;
 * - it extracts the root entry "./" onto nothing, so the volume's own mode, owner and time would be
 *   lost: after the content, the root entry is written again as "volume/" at "/", onto the mount point.
 *
 * Nothing is lost on failure or cancel: an import or clone removes the volume it was making (and only
 * that one); the source of an export or clone is mounted read-only.
 */
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import type { EngineConnection, VolumeSummary } from '../core/index.js';
import { EngineError, toEngineError } from '../core/index.js';
import { createTar, ensureHelperImage, HELPER_IMAGE, inspectTarStart, TAR_BLOCK, type TarRootEntry } from '../archive/index.js';
import { VOLUME_BROWSER_LABEL, volumeNameProblem, type VolumeService } from './volume-service.js';

const MOUNT = '/volume';

export interface VolumeImport {
  readonly name: string;
  /** Bytes taken so far. */
  readonly received: number;
  /** Takes the next bytes; resolves when the engine can take more (backpressure), rejects on refusal. */
  write(chunk: Buffer): Promise<void>;
  /** Waits for the engine to have extracted everything; the new volume. Fails (and removes it) on a broken tar. */
  finish(): Promise<VolumeSummary>;
  /** Stops and removes the half-made volume. Safe to call at any time, more than once. */
  cancel(): Promise<void>;
}

export interface VolumeTransferOptions {
  /** The image of the never-started helper containers; the busybox helper by default. */
  helperImage?: (docker: Dockerode) => Promise<string>;
}

export class VolumeTransfers {
  private readonly helperImage: (docker: Dockerode) => Promise<string>;

  constructor(
    private readonly connection: EngineConnection,
    private readonly volumes: VolumeService,
    options: VolumeTransferOptions = {},
  ) {
    this.helperImage = options.helperImage ?? (async (docker) => (await ensureHelperImage(docker), HELPER_IMAGE));
  }

  /** The volume as a tar ("./…" entries), chunk by chunk as the engine writes it. Stop iterating to cancel. */
  async *exportTar(name: string, signal?: AbortSignal): AsyncGenerator<Buffer> {
    await this.volumes.inspect(name);
    const helper = await this.createHelper(name, true);
    try {
      let archive: NodeJS.ReadableStream;
      try {
        archive = await helper.getArchive({
          path: `${MOUNT}/.`,
          ...(signal ? { abortSignal: signal } : {}),
        });
      } catch (error) {
        throw toEngineError(error, `export volume ${name}`);
      }
      for await (const chunk of archive) yield chunk as Buffer;
    } finally {
      await helper.remove({ force: true }).catch(() => undefined);
    }
  }

  /** Checks the name (valid, not taken) now; the volume is created only once the first bytes are a tar. */
  async beginImport(name: string): Promise<VolumeImport> {
    const problem = volumeNameProblem(name);
    if (problem) throw new EngineError('invalid-argument', problem);
    await this.assertFree(name);
    return new PendingImport(name, {
      createVolume: () => this.volumes.create(name),
      createHelper: () => this.createHelper(name, false),
      removeVolume: () => this.volumes.remove(name),
      inspect: () => this.volumes.inspect(name),
    });
  }

  /** Copies `source` into a new volume `target`; yields the bytes copied so far. Stop iterating to cancel. */
  async *clone(source: string, target: string, signal?: AbortSignal): AsyncGenerator<number, VolumeSummary> {
    await this.volumes.inspect(source);
    const pending = await this.beginImport(target);
    let finished = false;
    try {
      for await (const chunk of this.exportTar(source, signal)) {
        await pending.write(chunk);
        yield pending.received;
      }
      const volume = await pending.finish();
      finished = true;
      return volume;
    } finally {
      // A cancelled (returned early) or failed clone leaves no half-made target behind.
      if (!finished) await pending.cancel();
    }
  }

  private async assertFree(name: string): Promise<void> {
    try {
      await this.volumes.inspect(name);
    } catch (error) {
      if (error instanceof EngineError && error.code === 'not-found') return;
      throw error;
    }
    throw new EngineError('conflict', `A volume named ${name} already exists; import into a new name.`);
  }

  /** A container that is never started: it only gives the archive API a place where the volume is mounted. */
  private async createHelper(volume: string, readOnly: boolean): Promise<Dockerode.Container> {
    this.connection.assertConnected();
    const docker = this.connection.docker;
    const image = await this.helperImage(docker);
    try {
      return await docker.createContainer({
        Image: image,
        Entrypoint: ['/bin/busybox'],
        Cmd: ['true'],
        NetworkDisabled: true,
        Labels: { [VOLUME_BROWSER_LABEL]: volume },
        HostConfig: {
          Mounts: [{ Type: 'volume', Source: volume, Target: MOUNT, ReadOnly: readOnly }],
          NetworkMode: 'none',
          LogConfig: { Type: 'none', Config: {} },
        },
      });
    } catch (error) {
      throw toEngineError(error, `create a helper container for volume ${volume}`);
    }
  }
}

interface ImportSteps {
  createVolume(): Promise<VolumeSummary>;
  createHelper(): Promise<Dockerode.Container>;
  removeVolume(): Promise<void>;
  inspect(): Promise<VolumeSummary>;
}

class PendingImport implements VolumeImport {
  received = 0;
  private head: Buffer[] = [];
  private headBytes = 0;
  private body: PassThrough | null = null;
  private helper: Dockerode.Container | null = null;
  private upload: Promise<void> | null = null;
  private failure: Error | null = null;
  private root: TarRootEntry | null = null;
  private volumeMade = false;
  private cancelled = false;
  private readonly abort = new AbortController();

  constructor(
    readonly name: string,
    private readonly steps: ImportSteps,
  ) {}

  async write(chunk: Buffer): Promise<void> {
    this.assertOpen();
    this.received += chunk.length;
    if (!this.body) {
      this.head.push(chunk);
      this.headBytes += chunk.length;
      if (this.headBytes < TAR_BLOCK) return;
      const start = Buffer.concat(this.head);
      this.head = [];
      await this.open(start);
      chunk = start;
    }
    await this.send(chunk);
  }

  async finish(): Promise<VolumeSummary> {
    this.assertOpen();
    try {
      if (!this.body) await this.open(Buffer.concat(this.head)); // a file shorter than one block: refused there
      this.body!.end();
      await this.upload;
      if (this.failure) throw this.failure;
      if (this.root) await this.restoreRoot(this.root);
      await this.removeHelper();
      return await this.steps.inspect();
    } catch (error) {
      await this.cancel();
      throw error;
    }
  }

  async cancel(): Promise<void> {
    if (this.cancelled) return;
    this.cancelled = true;
    this.abort.abort();
    this.body?.destroy();
    await this.upload?.catch(() => undefined);
    await this.removeHelper();
    if (this.volumeMade) {
      this.volumeMade = false;
      await this.steps.removeVolume().catch(() => undefined);
    }
  }

  private assertOpen(): void {
    if (this.cancelled) throw new EngineError('conflict', `The import into ${this.name} was cancelled or has failed.`);
  }

  /** The first block decides: not a tar is refused with nothing created; a tar creates the volume and starts the upload. */
  private async open(start: Buffer): Promise<void> {
    const verdict = inspectTarStart(start);
    if (verdict.kind === 'not-tar') {
      this.cancelled = true;
      throw new EngineError('invalid-argument', `This file is not a tar archive: ${verdict.reason}. Nothing was created.`);
    }
    this.root = verdict.root;
    await this.steps.createVolume();
    this.volumeMade = true;
    try {
      this.helper = await this.steps.createHelper();
    } catch (error) {
      await this.cancel();
      throw error;
    }
    const body = new PassThrough({ highWaterMark: 1024 * 1024 });
    this.body = body;
    this.upload = this.helper
      .putArchive(body, { path: MOUNT, abortSignal: this.abort.signal })
      .then(() => undefined)
      .catch((error: unknown) => {
        this.failure = this.cancelled
          ? new EngineError('conflict', `The import into ${this.name} was cancelled.`)
          : tarFailure(toEngineError(error, `import into volume ${this.name}`), this.name);
        body.destroy();
      });
  }

  private async send(chunk: Buffer): Promise<void> {
    const body = this.body!;
    if (body.write(chunk)) return;
    // Wait until the engine took the buffered bytes, or the upload failed (then nothing drains).
    await Promise.race([new Promise<void>((resolve) => body.once('drain', resolve)), this.upload]);
    if (this.failure) {
      const failure = this.failure;
      await this.cancel();
      throw failure;
    }
  }

  private async restoreRoot(root: TarRootEntry): Promise<void> {
    const entry = createTar([{ path: `${MOUNT.slice(1)}/`, mode: root.mode, uid: root.uid, gid: root.gid, mtime: root.mtime }]);
    try {
      await this.helper!.putArchive(entry, { path: '/' });
    } catch (error) {
      throw toEngineError(error, `set the owner and mode of volume ${this.name}`);
    }
  }

  private async removeHelper(): Promise<void> {
    const helper = this.helper;
    this.helper = null;
    await helper?.remove({ force: true }).catch(() => undefined);
  }
}

function tarFailure(error: EngineError, name: string): EngineError {
  if (/Error processing tar file/i.test(error.message)) {
    return new EngineError(
      'invalid-argument',
      `The tar archive is damaged or cut short (${error.message.replace(/^Could not [^:]+: /, '')}); volume ${name} was not kept.`,
    );
  }
  return error;
}
