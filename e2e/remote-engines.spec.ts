/**
 * Remote engines as a person uses them: in the Engine view, add an ssh engine (a real sshd on loopback
 * in front of a second private dockerd), switch to it and see its containers, switch back. Bad input:
 * a malformed address is refused with the reason; an engine where nothing answers says so in its status.
 * This spec starts its own Berth (own state folder, and BERTH_SSH_CONFIG for the test's key).
 */
import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBerthUrl } from '../app/launcher/testing/berth-url.js';
import { startLocalDockerd, type LocalDockerd } from '../engine/dockerd/index.js';
import { freePort } from '../engine/testing/free-port.js';
import { startLoopbackSshd, type LoopbackSshd } from '../engine/testing/loopback-sshd.js';
import { uniqueName } from '../engine/testing/names.js';
import { dockerCli } from '../engine/testing/test-images.js';
import { BerthPage, ContainersPage } from './pages/berth-page.js';
import { busyboxRootTar } from './vm-berth.js';

const REMOTE_IMAGE = 'berth-remote/busybox:latest';

let remote: LocalDockerd;
let sshd: LoopbackSshd;
let berth: ChildProcess;
let url: string;
let stateHome: string;
const remoteContainer = uniqueName('remote-only');
const localContainer = uniqueName('local-only');

test.beforeAll(async () => {
  test.setTimeout(120_000);
  remote = await startLocalDockerd({
    bridge: process.env.BERTH_E2E_REMOTE_BRIDGE ?? 'berthe2erm0',
    subnetPrefix: process.env.BERTH_E2E_REMOTE_SUBNET ?? '172.29.238',
  });
  await dockerCli(remote.dockerHost, ['import', '-', REMOTE_IMAGE], await busyboxRootTar());
  await dockerCli(remote.dockerHost, ['create', '--name', remoteContainer, REMOTE_IMAGE, 'sh']);
  await dockerCli(process.env.BERTH_DOCKER_HOST!, ['create', '--name', localContainer, 'berth-test/busybox:latest', 'sh']);
  sshd = await startLoopbackSshd(remote.dockerHost);
  stateHome = mkdtempSync(join(tmpdir(), 'berth-remote-e2e-'));
  const env = { ...process.env, XDG_STATE_HOME: stateHome, BERTH_SSH_CONFIG: sshd.clientConfig };
  berth = spawn(process.execPath, ['dist/app/berth.mjs', '--web', '--engine', process.env.BERTH_DOCKER_HOST!], {
    cwd: join(import.meta.dirname, '..'),
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  url = await readBerthUrl(berth);
});

test.afterAll(async () => {
  if (berth && berth.exitCode === null) {
    const exited = new Promise((resolve) => berth.once('exit', resolve));
    berth.kill('SIGTERM');
    await exited;
  }
  await dockerCli(process.env.BERTH_DOCKER_HOST!, ['rm', '-f', localContainer]).catch(() => undefined);
  await sshd?.stop();
  await remote?.stop();
  if (stateHome) rmSync(stateHome, { recursive: true, force: true });
});

test('adds an ssh engine, switches to it and sees its containers, then switches back', async ({ page }) => {
  const berthPage = new BerthPage(page);
  await berthPage.open(url);
  await berthPage.showView('Engine');
  const engines = page.getByRole('list', { name: 'Engines' });
  await expect(engines.getByRole('listitem', { name: "This computer's engine" })).toContainText('In use');

  await page.getByLabel('Engine name').fill('Build box');
  await page.getByLabel('Engine address').fill(sshd.address);
  await page.getByRole('button', { name: 'Add engine' }).click();
  const buildBox = engines.getByRole('listitem', { name: 'Build box' });
  await expect(buildBox.getByRole('status')).toContainText('Reachable · Docker', { timeout: 20_000 });
  await page.screenshot({ path: '/tmp/berth-remote-engines.png', fullPage: true });

  await buildBox.getByRole('button', { name: 'Use Build box' }).click();
  await expect(berthPage.engineStatus).toContainText(`at ${sshd.address}`, { timeout: 20_000 });
  await expect(buildBox).toContainText('In use');

  const containers = new ContainersPage(page);
  await containers.showView('Containers');
  await expect(containers.row(remoteContainer)).toBeVisible({ timeout: 15_000 });
  await expect(containers.row(localContainer)).toHaveCount(0);

  await containers.showView('Engine');
  await engines.getByRole('button', { name: "Use This computer's engine" }).click();
  await expect(berthPage.engineStatus).toContainText(`at ${process.env.BERTH_DOCKER_HOST}`, { timeout: 20_000 });
  await containers.showView('Containers');
  await expect(containers.row(localContainer)).toBeVisible({ timeout: 15_000 });
  await expect(containers.row(remoteContainer)).toHaveCount(0);

  await containers.showView('Engine');
  await engines.getByRole('button', { name: 'Remove Build box' }).click();
  await expect(buildBox).toHaveCount(0);
});

test('refuses a malformed address and shows why an engine does not answer', async ({ page }) => {
  const berthPage = new BerthPage(page);
  await berthPage.open(url);
  await berthPage.showView('Engine');
  await page.getByLabel('Engine name').fill('Typo');
  await page.getByLabel('Engine address').fill('ssh://me@host:99999');
  await page.getByRole('button', { name: 'Add engine' }).click();
  await expect(berthPage.alert('"99999" is not a port: use a number from 1 to 65535.')).toBeVisible();

  const closed = `ssh://${sshd.user}@127.0.0.1:${await freePort()}`;
  await page.getByLabel('Engine name').fill('Nobody home');
  await page.getByLabel('Engine address').fill(closed);
  await page.getByRole('button', { name: 'Add engine' }).click();
  const nobody = page.getByRole('list', { name: 'Engines' }).getByRole('listitem', { name: 'Nobody home' });
  await expect(nobody.getByRole('status')).toHaveText(`Unreachable: Cannot reach ${closed}: Connection refused.`, {
    timeout: 20_000,
  });
  await page.screenshot({ path: '/tmp/berth-remote-engines-unreachable.png', fullPage: true });
  await nobody.getByRole('button', { name: 'Remove Nobody home' }).click();
  await expect(nobody).toHaveCount(0);
});
