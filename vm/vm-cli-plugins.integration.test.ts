/**
 * `docker compose` and `docker buildx` through the `berth` context, for real: one boot of the VM
 * (QEMU, TCG here), Berth's plugins (vm/.build/cli-plugins, from `npm run vm:image`) installed by the
 * VM's own host services into a temporary DOCKER_CONFIG, and the real docker CLI using them. A
 * two-service compose project comes up in the VM, the engine lists both containers under the project
 * (what the containers view groups by), `down` removes them; `buildx build` builds an image from a
 * local one in the VM's engine. BERTH_TEST_DOCKER_CLI picks the CLI (default `docker` on PATH).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerService } from '../engine/containers/index.js';
import { EngineConnection } from '../engine/core/index.js';
import { ImageService } from '../engine/images/index.js';
import { busyboxRootTar } from '../engine/testing/test-images.js';
import { waitFor } from '../engine/testing/wait-for.js';
import { printConsoleTailOnFailure } from './testing/console-on-failure.js';
import { contextCli } from './testing/context-cli.js';
import { HOST_GUEST_ARCH, testImageDir } from './testing/test-image.js';
import { VmService } from './vm-service.js';

const imageDir = testImageDir();
const arch = HOST_GUEST_ARCH;
const pluginsDir = path.resolve(import.meta.dirname, '.build', 'cli-plugins', arch);
const cli = process.env.BERTH_TEST_DOCKER_CLI || 'docker';
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-vm-cli-plugins-'));
const stateDir = path.join(root, 'state');
const dockerConfig = path.join(root, 'docker-config');
const projectDir = path.join(root, 'project');
const buildDir = path.join(root, 'build');
// The CLI's own environment, minus what would override --context; its config in the temporary directory.
const contextDocker = contextCli(dockerConfig, cli);
const docker = contextDocker.run;
const suffix = Math.random().toString(36).slice(2, 8);
const project = `berth-compose-${suffix}`;
const baseImage = 'berth-test/cli-plugins-busybox';
const builtImage = `berth-test/buildx-built:${suffix}`;

describe('docker compose and buildx through the berth context (QEMU)', () => {
  const vm = new VmService({
    stateDir,
    imageDir,
    settings: { cpus: 2, memoryMiB: 1024, diskGiB: 8, sharedFolders: [] },
    dockerContext: { env: contextDocker.env, cli },
    // No system folders: a computer with its own compose installed must not turn this into "kept".
    cliPlugins: { sourceDir: pluginsDir, systemDirs: [] },
  });
  printConsoleTailOnFailure(vm);
  const connection = { current: null as EngineConnection | null };
  const containers = () => new ContainerService(connection.current!).list();

  beforeAll(async () => {
    if (!fs.existsSync(path.join(imageDir, 'vmlinux'))) throw new Error('No VM image: run npm run vm:image first.');
    if (!fs.existsSync(path.join(pluginsDir, 'manifest.txt')))
      throw new Error(`No CLI plugins in ${pluginsDir}: run npm run vm:image first.`);
    fs.mkdirSync(stateDir);
    await vm.start();
    connection.current = new EngineConnection(vm.endpoint());
    connection.current.start();
    await waitFor('the engine connection', () => connection.current?.state.kind === 'connected');
    await docker(['import', '-', baseImage], { input: await busyboxRootTar() });
  });

  afterAll(async () => {
    connection.current?.dispose();
    await vm.stop().catch(() => undefined);
    vm.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('installs compose and buildx into the CLI plugin folder, and the CLI runs them', async () => {
    const report = await waitFor('the CLI plugins report', () => vm.cliPlugins);
    expect(report.folder).toBe(path.join(dockerConfig, 'cli-plugins'));
    expect(report.plugins.map((outcome) => [outcome.plugin, outcome.status])).toEqual([
      ['docker-compose', 'installed'],
      ['docker-buildx', 'installed'],
    ]);
    expect(await docker(['compose', 'version'])).toMatch(/Docker Compose version v?2\.\d+/);
    expect(await docker(['buildx', 'version'])).toMatch(/buildx v?0\.\d+/);
  });

  it('brings a two-service compose project up in the VM, lists it under its project, and `down` removes it', async () => {
    fs.mkdirSync(projectDir);
    const service = (name: string) => [
      `  ${name}:`,
      `    image: ${baseImage}`,
      '    pull_policy: never',
      `    command: ["sh", "-c", "echo ${name} ready; exec sleep 3600"]`,
      '    stop_signal: SIGKILL',
    ];
    fs.writeFileSync(
      path.join(projectDir, 'compose.yaml'),
      ['services:', ...service('web'), ...service('worker'), ''].join('\n'),
    );

    await docker(['compose', '-p', project, 'up', '-d'], { cwd: projectDir });
    const ps = (await docker(['compose', '-p', project, 'ps', '--format', '{{.Service}} {{.State}}'], { cwd: projectDir }))
      .split('\n')
      .filter((line) => /^(web|worker) /.test(line))
      .sort();
    expect(ps).toEqual(['web running', 'worker running']);

    // What the engine API says, as Berth's containers view reads it (it groups by composeProject).
    const grouped = (await containers()).filter((container) => container.composeProject === project);
    expect(grouped.map((container) => [container.composeService, container.state]).sort()).toEqual([
      ['web', 'running'],
      ['worker', 'running'],
    ]);

    await docker(['compose', '-p', project, 'down'], { cwd: projectDir });
    expect((await containers()).filter((container) => container.composeProject === project)).toEqual([]);
    expect(await docker(['network', 'ls', '--format', '{{.Name}}'])).not.toContain(`${project}_default`);
  });

  it('builds an image with `buildx build` in the VM, from a local base image, and the engine lists it', async () => {
    fs.mkdirSync(buildDir);
    fs.writeFileSync(path.join(buildDir, 'Dockerfile'), `FROM ${baseImage}\nRUN echo built-by-buildx-${suffix} > /built\n`);
    await docker(['buildx', 'build', '--progress', 'plain', '-t', builtImage, '.'], { cwd: buildDir });

    const images = await new ImageService(connection.current!).list();
    expect(images.some((image) => image.repoTags.includes(builtImage))).toBe(true);
    // The RUN step really ran in the VM: its file is in the image.
    expect(await docker(['run', '--rm', '--network', 'none', builtImage, 'cat', '/built'])).toBe(`built-by-buildx-${suffix}`);
  });
});
