import { randomInt } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { EngineConnection } from '../core/index.js';
import { NetworkService } from './network-service.js';
import type { EngineEvent } from '../core/index.js';
import { connectTestEngine, engineError, removeContainers } from '../testing/engine-fixture.js';
import { uniqueName } from '../testing/names.js';
import { BUSYBOX_IMAGE, dockerCli } from '../testing/test-images.js';
import { waitFor } from '../testing/wait-for.js';

const dockerHost = inject('dockerHost');
const socketPath = inject('socketPath');

/** A /24 in a range the test engines' bridges (172.29.x) and the engine's pools do not use. */
const freshSubnet = () => `10.${randomInt(200, 250)}.${randomInt(0, 255)}.0/24`;
const networkExists = async (name: string) =>
  (await dockerCli(dockerHost, ['network', 'ls', '-q', '--filter', `name=^${name}$`])).length > 0;

describe('NetworkService (real dockerd)', () => {
  let connection: EngineConnection;
  let service: NetworkService;
  const networks: string[] = [];
  const containers: string[] = [];
  const newNetworkName = () => {
    const name = uniqueName('net');
    networks.push(name);
    return name;
  };
  const newContainerName = () => {
    const name = uniqueName('net-user');
    containers.push(name);
    return name;
  };

  beforeAll(async () => {
    connection = await connectTestEngine(socketPath);
    service = new NetworkService(connection);
  });
  afterEach(async () => {
    await removeContainers(dockerHost, containers.splice(0));
    for (const name of networks.splice(0)) await dockerCli(dockerHost, ['network', 'rm', name]).catch(() => undefined);
  });
  afterAll(() => connection.dispose());

  it('lists the built-in networks and one the CLI made, with its subnet and containers running or not', async () => {
    const name = newNetworkName();
    const subnet = freshSubnet();
    await dockerCli(dockerHost, ['network', 'create', '--subnet', subnet, name]);
    const running = newContainerName();
    const stopped = newContainerName();
    await dockerCli(dockerHost, ['run', '-d', '--name', running, '--network', name, BUSYBOX_IMAGE, 'sleep', '600']);
    await dockerCli(dockerHost, ['create', '--name', stopped, '--network', name, BUSYBOX_IMAGE, 'true']);

    const list = await service.list();
    expect(list.filter((network) => network.builtIn).map((network) => network.name)).toEqual(['bridge', 'host', 'none']);
    const network = list.find((candidate) => candidate.name === name);
    expect(network).toMatchObject({ driver: 'bridge', scope: 'local', subnets: [subnet], builtIn: false, internal: false });
    expect(network?.containers.map((container) => [container.name, container.state])).toEqual(
      [
        [running, 'running'],
        [stopped, 'created'],
      ].sort((a, b) => a[0]!.localeCompare(b[0]!)),
    );
    const address = network?.containers.find((container) => container.name === running)?.address;
    expect(address).toBe(
      `${await dockerCli(dockerHost, ['inspect', '-f', `{{(index .NetworkSettings.Networks "${name}").IPAddress}}`, running])}/24`,
    );
  });

  it('creates a bridge network with the subnet asked for, which the CLI sees', async () => {
    const name = newNetworkName();
    const subnet = freshSubnet();
    const created = await service.create({ name, subnet });
    expect(created).toMatchObject({ name, driver: 'bridge', subnets: [subnet], containers: [] });
    expect(await dockerCli(dockerHost, ['network', 'inspect', '-f', '{{.Driver}} {{(index .IPAM.Config 0).Subnet}}', name])).toBe(
      `bridge ${subnet}`,
    );
  });

  it('creates a network without a subnet (the engine picks one)', async () => {
    const name = newNetworkName();
    const created = await service.create({ name });
    expect(created.subnets).toHaveLength(1);
    expect(await networkExists(name)).toBe(true);
  });

  it('refuses a subnet that overlaps another network, naming it', async () => {
    const first = newNetworkName();
    const second = newNetworkName();
    const subnet = freshSubnet();
    const wider = subnet.replace(/\.\d+\.0\/24$/, '.0.0/16');
    await service.create({ name: first, subnet: wider });
    const error = await engineError(service.create({ name: second, subnet }));
    expect(error.code).toBe('conflict');
    expect(error.message).toBe(
      `Subnet ${subnet} overlaps with network ${first} (${wider}). Choose a range no other network uses.`,
    );
    expect(await networkExists(second)).toBe(false);
  });

  it('refuses a duplicate name', async () => {
    const name = newNetworkName();
    await service.create({ name });
    const error = await engineError(service.create({ name }));
    expect(error).toMatchObject({ code: 'conflict', message: `A network named ${name} already exists.` });
  });

  it.each([
    ['bad name', /network name starts with a letter or digit/],
    ['-dash', /network name starts with a letter or digit/],
    ['a/b', /network name starts with a letter or digit/],
  ])('refuses the invalid name %j, creating nothing', async (name, reason) => {
    const before = await dockerCli(dockerHost, ['network', 'ls', '-q']);
    const error = await engineError(service.create({ name }));
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toMatch(reason);
    expect(await dockerCli(dockerHost, ['network', 'ls', '-q'])).toBe(before);
  });

  it('refuses a subnet that is not a CIDR range', async () => {
    const error = await engineError(service.create({ name: newNetworkName(), subnet: '10.1.2.3' }));
    expect(error).toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/CIDR form/) as string });
  });

  it('refuses to remove a network running containers use, naming them', async () => {
    const name = newNetworkName();
    await service.create({ name });
    const user = newContainerName();
    await dockerCli(dockerHost, ['run', '-d', '--name', user, '--network', name, BUSYBOX_IMAGE, 'sleep', '600']);
    const error = await engineError(service.remove(name));
    expect(error.code).toBe('in-use');
    expect(error.message).toBe(`Network ${name} is in use by ${user}. Disconnect or stop that container first.`);
    expect(await networkExists(name)).toBe(true);
  });

  it('removes an unused network by id', async () => {
    const name = newNetworkName();
    const { id } = await service.create({ name });
    await service.remove(id);
    expect(await networkExists(name)).toBe(false);
  });

  it('refuses to remove a built-in network, and says a missing one is not there', async () => {
    expect(await engineError(service.remove('bridge'))).toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/bridge is one of the engine's own networks/) as string,
    });
    const ghost = uniqueName('ghost-net');
    expect(await engineError(service.remove(ghost))).toMatchObject({
      code: 'not-found',
      message: `There is no network ${ghost}.`,
    });
  });

  it('connects and disconnects a container, and explains doing either twice', async () => {
    const name = newNetworkName();
    await service.create({ name, subnet: freshSubnet() });
    const container = newContainerName();
    await dockerCli(dockerHost, ['run', '-d', '--name', container, BUSYBOX_IMAGE, 'sleep', '600']);
    const networksOf = () =>
      dockerCli(dockerHost, ['inspect', '-f', '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}', container]);

    await service.connect(name, container);
    expect((await networksOf()).split(' ')).toContain(name);
    expect((await service.list()).find((network) => network.name === name)?.containers.map((c) => c.name)).toEqual([container]);
    expect(await engineError(service.connect(name, container))).toMatchObject({
      code: 'conflict',
      message: `Container ${container} is already connected to network ${name}.`,
    });

    await service.disconnect(name, container);
    expect((await networksOf()).split(' ')).not.toContain(name);
    expect(await engineError(service.disconnect(name, container))).toMatchObject({
      code: 'conflict',
      message: `Container ${container} is not connected to network ${name}.`,
    });
  });

  it('says which of network and container is missing', async () => {
    const name = newNetworkName();
    await service.create({ name });
    const ghost = uniqueName('ghost');
    expect(await engineError(service.connect(name, ghost))).toMatchObject({
      code: 'not-found',
      message: `There is no container ${ghost}.`,
    });
    const container = newContainerName();
    await dockerCli(dockerHost, ['create', '--name', container, BUSYBOX_IMAGE, 'true']);
    expect(await engineError(service.connect(ghost, container))).toMatchObject({
      code: 'not-found',
      message: `There is no network ${ghost}.`,
    });
  });

  it('lists a connect or disconnect as soon as its event arrives (the refresh an event triggers is true)', async () => {
    const name = newNetworkName();
    const { id } = await service.create({ name });
    const container = newContainerName();
    await dockerCli(dockerHost, ['run', '-d', '--name', container, BUSYBOX_IMAGE, 'sleep', '600']);
    const seen: string[][] = [];
    const subscription = connection.onEvent((event) => {
      if (event.type !== 'network' || event.id !== id) return;
      void service.list().then((networks) => {
        seen.push([
          event.action,
          ...(networks.find((network) => network.id === id)?.containers.map((attached) => attached.name) ?? []),
        ]);
      });
    });
    try {
      await dockerCli(dockerHost, ['network', 'connect', name, container]);
      await waitFor('the list after the connect event', () => seen.find(([action]) => action === 'connect'));
      expect(seen.find(([action]) => action === 'connect')).toEqual(['connect', container]);
      await dockerCli(dockerHost, ['network', 'disconnect', name, container]);
      await waitFor('the list after the disconnect event', () => seen.find(([action]) => action === 'disconnect'));
      expect(seen.filter(([action]) => action === 'disconnect').every((entry) => entry.length === 1)).toBe(true);
    } finally {
      subscription.dispose();
    }
  });

  it('reports network events, which keep the view fresh', async () => {
    const events: EngineEvent[] = [];
    const subscription = connection.onEvent((event) => event.type === 'network' && events.push(event));
    try {
      const name = newNetworkName();
      const { id } = await service.create({ name });
      await waitFor('a network create event', () => events.find((event) => event.action === 'create' && event.id === id));
      expect(events.find((event) => event.id === id)?.name).toBe(name);
    } finally {
      subscription.dispose();
    }
  });
});
