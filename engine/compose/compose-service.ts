/**
 * Compose projects from a file: `up -d` with its progress, `down` and `restart`. It runs the compose
 * CLI plugin (the same program `docker compose` runs) against the engine Berth uses, found by the
 * app (`ComposeTool`: the plugin and the environment that points it at the engine). Projects are
 * found by compose's own labels on their containers.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import type { EngineConnection } from '../core/index.js';
import { EngineError, toEngineError } from '../core/index.js';
import { checkComposeFile, projectNameConflict, projectNameFor } from './compose-file.js';
import { composeFailureMessage, parseComposeLine } from './compose-progress.js';
import type { ComposeDownMethod, ComposeProgressLine, ComposeUpItem } from './compose-types.js';

export const CONFIG_FILES_LABEL = 'com.docker.compose.project.config_files';
export const WORKING_DIR_LABEL = 'com.docker.compose.project.working_dir';
const PROJECT_LABEL = 'com.docker.compose.project';

export interface ComposeTool {
  /** The docker-compose plugin binary. */
  plugin: string;
  /** DOCKER_HOST (and TLS variables) of the engine Berth uses. */
  env: Record<string, string>;
}

export class ComposeService {
  constructor(
    private readonly connection: EngineConnection,
    /** null: no compose plugin on this computer (the reason is the error). */
    private readonly tool: () => ComposeTool | string,
  ) {}

  /** `docker compose -f FILE -p NAME up -d`: compose's lines as they come, then the project's name. */
  async *up(request: { file: string; projectName: string | null }, signal: AbortSignal): AsyncIterable<ComposeUpItem> {
    const facts = await checkComposeFile(request.file);
    const project = projectNameFor(facts, request.projectName);
    const existing = await this.projectContainers(project);
    const conflict = projectNameConflict(
      project,
      facts.file,
      existing.map((container) => container.Labels?.[CONFIG_FILES_LABEL]),
    );
    if (conflict) throw new EngineError('conflict', conflict);
    yield* this.run(['-f', facts.file, '-p', project, 'up', '-d'], signal);
    yield { kind: 'done', project };
  }

  /** compose down with the project's files while they exist; else its containers and networks are removed. */
  async down(project: string): Promise<ComposeDownMethod> {
    const containers = await this.projectContainers(project);
    if (containers.length === 0) throw new EngineError('not-found', `There is no compose project named ${project}.`);
    const files = projectFiles(containers);
    if (files) {
      await drain(this.run([...files, '-p', project, 'down'], new AbortController().signal));
      return 'compose';
    }
    try {
      const docker = this.connection.docker;
      await Promise.all(containers.map((container) => docker.getContainer(container.Id).remove({ force: true })));
      const networks = await docker.listNetworks({ filters: { label: [`${PROJECT_LABEL}=${project}`] } });
      await Promise.all(
        networks.map((network) =>
          docker
            .getNetwork(network.Id)
            .remove()
            .catch(() => undefined),
        ),
      );
    } catch (error) {
      throw toEngineError(error, `remove compose project ${project}`);
    }
    return 'removed';
  }

  /** compose restart with the project's files while they exist; else each of its containers is restarted. */
  async restart(project: string): Promise<ComposeDownMethod> {
    const containers = await this.projectContainers(project);
    if (containers.length === 0) throw new EngineError('not-found', `There is no compose project named ${project}.`);
    const files = projectFiles(containers);
    if (files) {
      await drain(this.run([...files, '-p', project, 'restart'], new AbortController().signal));
      return 'compose';
    }
    try {
      await Promise.all(containers.map((container) => this.connection.docker.getContainer(container.Id).restart()));
    } catch (error) {
      throw toEngineError(error, `restart compose project ${project}`);
    }
    return 'removed';
  }

  private async projectContainers(project: string) {
    this.connection.assertConnected();
    try {
      return await this.connection.docker.listContainers({ all: true, filters: { label: [`${PROJECT_LABEL}=${project}`] } });
    } catch (error) {
      throw toEngineError(error, `list compose project ${project}`);
    }
  }

  /** Runs the plugin; its stdout and stderr as progress lines; compose's own message when it fails. */
  private async *run(args: string[], signal: AbortSignal): AsyncIterable<ComposeProgressLine> {
    const tool = this.tool();
    if (typeof tool === 'string') throw new EngineError('engine-error', tool);
    const child = spawn(tool.plugin, ['--ansi', 'never', '--progress', 'plain', ...args], {
      env: { ...process.env, ...tool.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onAbort = () => child.kill('SIGTERM');
    signal.addEventListener('abort', onAbort);
    let spawnError: Error | null = null;
    const exited = new Promise<string>((resolve) => {
      child.on('error', (error) => (spawnError = error));
      child.on('close', (code, signalName) =>
        resolve(code === 0 ? '' : signalName ? `signal ${signalName}` : `exit code ${code}`),
      );
    });
    const output = new PassThrough();
    let open = 2;
    for (const source of [child.stdout, child.stderr]) {
      source.pipe(output, { end: false });
      source.on('end', () => --open === 0 && output.end());
    }
    const messages: string[] = [];
    try {
      for await (const raw of createInterface({ input: output, crlfDelay: Infinity })) {
        const line = parseComposeLine(raw);
        if (!line) continue;
        if (line.kind === 'line') messages.push(line.text);
        yield line;
      }
      const exit = await exited;
      if (spawnError)
        throw new EngineError('engine-error', `Could not run docker compose (${tool.plugin}): ${(spawnError as Error).message}`);
      if (exit) throw new EngineError('invalid-argument', composeFailureMessage(messages, exit));
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (child.exitCode === null) child.kill('SIGTERM');
    }
  }
}

/** `-f` arguments for the project's config files when all of them still exist, else null. */
function projectFiles(containers: Array<{ Labels?: Record<string, string> }>): string[] | null {
  const labelled = containers.map((container) => container.Labels?.[CONFIG_FILES_LABEL]).find(Boolean);
  const files = labelled ? labelled.split(',') : [];
  if (files.length === 0 || !files.every((file) => existsSync(file))) return null;
  const workingDir = containers.map((container) => container.Labels?.[WORKING_DIR_LABEL]).find(Boolean);
  return [
    ...files.flatMap((file) => ['-f', file]),
    ...(workingDir && existsSync(workingDir) ? ['--project-directory', workingDir] : []),
  ];
}

async function drain(items: AsyncIterable<unknown>): Promise<void> {
  for await (const _item of items) {
    // compose's progress matters only while bringing a project up
  }
}
