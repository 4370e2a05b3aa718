/**
 * `docker compose` through the `berth` context, seen in Berth: on its own engine VM Berth installs
 * compose and buildx into the CLI plugin folder (DOCKER_CONFIG, a temporary one here) and says so in
 * the Engine view; a two-service project brought up with the real CLI shows as one group in the
 * containers view, and `down` takes the group away.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { BerthPage } from './pages/berth-page.js';
import { busyboxRootTar, dockerInVm, qemuPidsUnder, runVmBerth } from './vm-berth.js';

test.describe.configure({ mode: 'serial' });

let berth: ChildProcess;
let url: string;
let stateHome: string;

/** The real docker CLI with the config Berth wrote its context and plugins into. */
function dockerWithBerthContext(args: string[], cwd: string): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_CONFIG: join(stateHome, 'docker-config') };
  delete env.DOCKER_HOST;
  delete env.DOCKER_CONTEXT;
  return new Promise((resolve, reject) => {
    const child = spawn('docker', ['--context', 'berth', ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`docker ${args.join(' ')} (${code}): ${output}`)),
    );
  });
}

test.beforeAll(async () => {
  stateHome = mkdtempSync(join(tmpdir(), 'berth-e2e-vm-compose-'));
  ({ berth, url } = await runVmBerth(stateHome));
});

test.afterAll(async () => {
  if (berth.exitCode === null) {
    berth.kill('SIGTERM');
    await new Promise((resolve) => berth.once('exit', resolve));
  }
  for (const pid of await qemuPidsUnder(stateHome)) process.kill(pid, 'SIGKILL');
  rmSync(stateHome, { recursive: true, force: true });
});

test('compose and buildx are installed for the docker CLI, and a compose project shows grouped until `down`', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.goto(url);
  const berthPage = new BerthPage(page);
  await expect(berthPage.engineStatus).toContainText('Engine running', { timeout: 150_000 });

  await berthPage.showView('Engine');
  const plugins = page.getByRole('list', { name: 'docker compose and docker buildx' });
  await expect(plugins).toContainText(/docker compose [\d.]+ and docker buildx [\d.]+ installed for your docker CLI in/, {
    timeout: 30_000,
  });
  await expect(plugins).toContainText(join(stateHome, 'docker-config', 'cli-plugins'));
  await berthPage.saveScreenshot('engine-vm-cli-plugins');

  const project = `e2e-compose-${Date.now().toString(36)}`;
  const projectDir = join(stateHome, 'project');
  mkdirSync(projectDir);
  await dockerInVm(stateHome, ['import', '-', 'berth-e2e/busybox:1'], await busyboxRootTar());
  const service = (name: string) =>
    `  ${name}:\n    image: berth-e2e/busybox:1\n    pull_policy: never\n    command: ["busybox", "sleep", "3600"]\n    stop_signal: SIGKILL\n`;
  writeFileSync(join(projectDir, 'compose.yaml'), `services:\n${service('web')}${service('worker')}`);
  await dockerWithBerthContext(['compose', '-p', project, 'up', '-d'], projectDir);

  await berthPage.showView('Containers');
  const table = page.getByRole('table', { name: 'Containers' });
  const group = table.getByRole('row', { name: `Compose project ${project}` });
  await expect(group).toContainText('2 containers', { timeout: 30_000 });
  await berthPage.saveScreenshot('containers-compose-project-from-cli');

  await dockerWithBerthContext(['compose', '-p', project, 'down'], projectDir);
  await expect(group).toHaveCount(0, { timeout: 30_000 });
});
