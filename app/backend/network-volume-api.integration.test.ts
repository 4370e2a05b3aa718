/**
 * Networks, volume detail and disk usage through the whole API path (typed client, JSON, ApiSession's
 * validation, the implementation) against the real engine: the arguments the boundary refuses, and
 * answers that match the contract's result schemas.
 */
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { removeContainers, removeVolumes } from '../../engine/testing/engine-fixture.js';
import { uniqueName } from '../../engine/testing/names.js';
import { BUSYBOX_IMAGE, dockerCli } from '../../engine/testing/test-images.js';
import { waitFor } from '../../engine/testing/wait-for.js';
import type { BerthClient } from '../contract/client.js';
import { isBerthApiError, type BerthApiError } from '../contract/errors.js';
import { NetworkSummarySchema } from '../contract/network-contract.js';
import { DiskUsageSchema, PruneResultSchema } from '../contract/system-contract.js';
import {
  VolumeDetailSchema,
  VolumeFilePreviewSchema,
  VolumeListingSchema,
  VolumeUsageSchema,
} from '../contract/volume-contract.js';
import { createBerthImplementation } from './berth-api.js';
import { createEngineServices, type EngineServices } from './engine-services.js';
import { createInMemoryLink } from './testing/in-memory-link.js';

const dockerHost = inject('dockerHost');
const socketPath = inject('socketPath');

async function apiError(promise: Promise<unknown>): Promise<BerthApiError> {
  const reason = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
  if (!isBerthApiError(reason)) throw reason;
  return reason;
}

describe('networks, volume detail and disk usage over the API (real dockerd)', () => {
  let services: EngineServices;
  let api: BerthClient;
  const network = uniqueName('api-net');
  const volume = uniqueName('api-vol');
  const container = uniqueName('api-user');

  beforeAll(async () => {
    services = createEngineServices({ kind: 'unix', socketPath });
    await waitFor('the engine connection', () => services.connection.state.kind === 'connected');
    api = createInMemoryLink(createBerthImplementation(services)).client;
    await dockerCli(dockerHost, [
      'run',
      '-d',
      '--name',
      container,
      '-v',
      `${volume}:/data`,
      BUSYBOX_IMAGE,
      'sh',
      '-c',
      'echo hi > /data/hi.txt && exec sleep 600',
    ]);
  });
  afterAll(async () => {
    await removeContainers(dockerHost, [container]);
    await removeVolumes(dockerHost, [volume]);
    await dockerCli(dockerHost, ['network', 'rm', network]).catch(() => undefined);
    await services.dispose();
  });

  it('refuses bad network arguments at the boundary, naming the field', async () => {
    const badSubnet = await apiError(api.networks.create({ name: network, subnet: '10.0.0.0' }));
    expect(badSubnet.code).toBe('invalid-request');
    expect(badSubnet.message).toMatch(/^subnet: A subnet is an IPv4 range in CIDR form/);
    const badName = await apiError(api.networks.create({ name: 'no spaces please' }));
    expect(badName.message).toMatch(/^name: A network name starts with a letter or digit/);
  });

  it('creates, connects, refuses removal in use, disconnects and removes a network', async () => {
    const subnet = `10.${randomInt(200, 250)}.${randomInt(0, 255)}.0/24`;
    const created = await api.networks.create({ name: network, subnet });
    expect(NetworkSummarySchema.parse(created)).toMatchObject({ name: network, subnets: [subnet] });
    await expect(api.networks.connect({ network: created.id, container })).resolves.toBeNull();
    const listed = (await api.networks.list({})).find((candidate) => candidate.id === created.id);
    expect(listed?.containers.map((attached) => attached.name)).toEqual([container]);
    expect(await apiError(api.networks.remove({ id: created.id }))).toMatchObject({ code: 'in-use' });
    await expect(api.networks.disconnect({ network: created.id, container })).resolves.toBeNull();
    await expect(api.networks.remove({ id: created.id })).resolves.toBeNull();
  });

  it("gives a volume's detail, size, files and a file, each as the contract declares", async () => {
    const detail = VolumeDetailSchema.parse(await api.volumes.detail({ name: volume }));
    expect(detail.containers.map((user) => [user.name, user.destination])).toEqual([[container, '/data']]);
    expect(VolumeUsageSchema.parse(await api.volumes.usage({ name: volume }))).toEqual({ size: 3, refCount: 1 });
    const listing = VolumeListingSchema.parse(await api.volumes.browse({ name: volume, path: '/' }));
    expect(listing.entries.map((entry) => entry.name)).toEqual(['hi.txt']);
    const file = VolumeFilePreviewSchema.parse(await api.volumes.readFile({ name: volume, path: '/hi.txt' }));
    expect(file.text).toBe('hi\n');
  });

  it('refuses a path that climbs out of the volume, and names a missing volume', async () => {
    const climbing = await apiError(api.volumes.browse({ name: volume, path: '/../etc' }));
    expect(climbing).toMatchObject({ code: 'invalid-request', message: expect.stringMatching(/^path: .*"\.\."/) as string });
    const ghost = uniqueName('ghost');
    expect(await apiError(api.volumes.detail({ name: ghost }))).toMatchObject({
      code: 'not-found',
      message: `There is no volume ${ghost}.`,
    });
  });

  it('computes disk usage and prunes one kind, as the contract declares', async () => {
    const usage = DiskUsageSchema.parse(await api.system.diskUsage({}));
    expect(usage.entries.map((entry) => entry.kind)).toEqual(['images', 'containers', 'volumes', 'build-cache']);
    expect(PruneResultSchema.parse(await api.system.prune({ kind: 'build-cache' }))).toMatchObject({ kind: 'build-cache' });
    const unused = uniqueName('api-unused');
    await dockerCli(dockerHost, ['volume', 'create', unused]);
    const pruned = PruneResultSchema.parse(await api.volumes.prune({}));
    expect(pruned).toMatchObject({ kind: 'volumes' });
    expect(pruned.removed).toBeGreaterThanOrEqual(1);
    expect(await dockerCli(dockerHost, ['volume', 'ls', '-q', '--filter', `name=^${unused}$`])).toBe('');
    expect(await dockerCli(dockerHost, ['volume', 'ls', '-q', '--filter', `name=^${volume}$`])).toBe(volume);
  });
});
