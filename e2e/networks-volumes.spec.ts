import { randomInt } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { BUSYBOX_IMAGE, docker, uniqueName } from './docker-cli.js';
import { DiskUsagePage, NetworksPage, VolumeDetail } from './pages/networks-volumes-pages.js';
import { BerthPage } from './pages/berth-page.js';

/** A /24 away from the e2e engine's own bridge (172.29.x) and the engine's default pools. */
const freshSubnet = () => `10.${randomInt(200, 250)}.${randomInt(0, 255)}.0/24`;
const networksOf = async (container: string) =>
  (await docker('inspect', '-f', '{{range $name, $_ := .NetworkSettings.Networks}}{{$name}} {{end}}', container)).split(' ');

test.describe('Networks view', () => {
  test('creates a network, connects a container, refuses overlaps and removal in use, disconnects, removes', async ({ page }) => {
    const network = uniqueName('e2e-net');
    const other = uniqueName('e2e-net-other');
    const container = uniqueName('e2e-net-user');
    const subnet = freshSubnet();
    await docker('run', '-d', '--name', container, BUSYBOX_IMAGE, 'sleep', '600');
    const networks = new NetworksPage(page);
    try {
      await networks.open();
      await networks.showView('Networks');
      await expect(networks.row('bridge')).toBeVisible();

      await networks.create('not valid');
      await expect(networks.alert('A network name starts with a letter or digit')).toBeVisible();
      await networks.create(network, '10.1.2');
      await expect(networks.alert('A subnet is an IPv4 range in CIDR form')).toBeVisible();

      await networks.create(network, subnet);
      await expect(networks.row(network).getByRole('cell', { name: subnet })).toBeVisible();
      expect(await docker('network', 'inspect', '-f', '{{.Driver}} {{(index .IPAM.Config 0).Subnet}}', network)).toBe(
        `bridge ${subnet}`,
      );

      await networks.create(other, subnet);
      await expect(networks.alert(`Subnet ${subnet} overlaps with network ${network} (${subnet})`)).toBeVisible();

      await networks.connect(network, `${container} (running)`);
      await expect(networks.containersOn(network)).toContainText(container);
      expect(await networksOf(container)).toContain(network);
      await networks.saveScreenshot('networks');

      await networks.remove(network);
      await expect(networks.alert(`Network ${network} is in use by ${container}`)).toBeVisible();

      await networks.disconnect(network, container);
      await expect(networks.containersOn(network)).toHaveCount(0);
      expect(await networksOf(container)).not.toContain(network);

      await networks.remove(network);
      await expect(networks.row(network)).toHaveCount(0);
      await expect.poll(() => docker('network', 'ls', '-q', '--filter', `name=^${network}$`)).toBe('');
    } finally {
      await docker('rm', '-f', container).catch(() => undefined);
      await docker('network', 'rm', network).catch(() => undefined);
    }
  });

  test('shows networks and connections made with the CLI as they happen', async ({ page }) => {
    const network = uniqueName('e2e-cli-net');
    const container = uniqueName('e2e-cli-user');
    const networks = new NetworksPage(page);
    try {
      await networks.open();
      await networks.showView('Networks');
      await docker('network', 'create', network);
      await expect(networks.row(network)).toBeVisible();
      await docker('run', '-d', '--name', container, '--network', network, BUSYBOX_IMAGE, 'sleep', '600');
      await expect(networks.containersOn(network)).toContainText(container);
      await docker('rm', '-f', container);
      await expect(networks.containersOn(network)).toHaveCount(0);
      await docker('network', 'rm', network);
      await expect(networks.row(network)).toHaveCount(0);
    } finally {
      await docker('rm', '-f', container).catch(() => undefined);
      await docker('network', 'rm', network).catch(() => undefined);
    }
  });
});

test.describe('Volume detail', () => {
  test('shows the size, the container using it, and browses the files it wrote', async ({ page }) => {
    const volume = uniqueName('e2e-browse');
    const writer = uniqueName('e2e-writer');
    await docker(
      'run',
      '--name',
      writer,
      '-v',
      `${volume}:/data`,
      BUSYBOX_IMAGE,
      'sh',
      '-c',
      'echo hello-from-a-container > /data/greeting.txt && mkdir /data/logs && echo started > /data/logs/app.log',
    );
    const berth = new BerthPage(page);
    try {
      await berth.open();
      await berth.showView('Volumes');
      const detail = await VolumeDetail.open(page, volume);
      await expect(detail.size).toContainText(/\d+(\.\d)? (B|kB)/, { timeout: 15_000 });
      await expect(detail.users.getByRole('row', { name: writer })).toContainText('/data');
      await expect(detail.files.getByRole('row', { name: 'greeting.txt' })).toBeVisible({ timeout: 15_000 });
      const contents = await detail.showFile('greeting.txt');
      await expect(contents).toHaveText('hello-from-a-container\n');
      await berth.saveScreenshot('volume-detail');

      await detail.openFolder('logs');
      await expect(detail.files.getByRole('row', { name: 'app.log' })).toBeVisible({ timeout: 15_000 });
      await expect(detail.dialog.getByRole('navigation', { name: 'Folder path' })).toContainText('logs');
      await detail.close();
      // Each listing ran in a helper container; none is left behind.
      await expect.poll(() => docker('ps', '-aq', '--filter', 'label=dev.berth.volume-browser')).toBe('');
    } finally {
      await docker('rm', '-f', writer).catch(() => undefined);
      await docker('volume', 'rm', volume).catch(() => undefined);
    }
  });
});

test.describe('Disk usage', () => {
  test('shows what each kind takes and what pruning volumes reclaims', async ({ page }) => {
    const volume = uniqueName('e2e-df');
    await docker('run', '--rm', '-v', `${volume}:/data`, BUSYBOX_IMAGE, 'sh', '-c', 'head -c 300000 /dev/urandom > /data/blob');
    const disk = new DiskUsagePage(page);
    try {
      await disk.open();
      await disk.showView('Disk usage');
      await expect(disk.figure('Images', 'Size')).toHaveText(/MB/, { timeout: 20_000 });
      await expect(disk.figure('Volumes', 'Reclaimable')).toHaveText(/\d+ kB|MB/);
      await disk.saveScreenshot('disk-usage');

      await disk.prune('volumes');
      await expect(disk.pruneResult).toContainText(/volumes?: \d+ volumes? removed, \d+ kB reclaimed/, { timeout: 20_000 });
      await expect(disk.figure('Volumes', 'Reclaimable')).toHaveText('0 B', { timeout: 20_000 });
      await expect.poll(() => docker('volume', 'ls', '-q', '--filter', `name=^${volume}$`)).toBe('');
    } finally {
      await docker('volume', 'rm', volume).catch(() => undefined);
    }
  });
});
