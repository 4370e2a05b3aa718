import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { networkNameProblem, overlappingNetworks, toNetworkSummaries } from './network-service.js';

const network = (
  id: string,
  name: string,
  subnets: string[] = [],
  endpoints: Record<string, { Name: string; IPv4Address: string }> = {},
): Dockerode.NetworkInspectInfo =>
  ({
    Id: id,
    Name: name,
    Driver: name === 'host' ? 'host' : 'bridge',
    Scope: 'local',
    Created: '2026-01-01T00:00:00Z',
    Internal: false,
    IPAM: { Driver: 'default', Config: subnets.map((Subnet) => ({ Subnet })) },
    Containers: endpoints,
  }) as unknown as Dockerode.NetworkInspectInfo;

const container = (
  id: string,
  name: string,
  state: string,
  networks: Record<string, { NetworkID: string; IPAddress: string; IPPrefixLen: number }>,
): Dockerode.ContainerInfo =>
  ({ Id: id, Names: [`/${name}`], State: state, NetworkSettings: { Networks: networks } }) as unknown as Dockerode.ContainerInfo;

describe('toNetworkSummaries', () => {
  it("takes running containers from the network's endpoints and stopped ones from their settings, by network name", () => {
    const summaries = toNetworkSummaries(
      [
        network('n2', 'backend', ['10.1.0.0/16'], { c1: { Name: 'web', IPv4Address: '10.1.0.2/16' } }),
        network('n1', 'bridge', ['172.17.0.0/16']),
        network('n3', 'host'),
      ],
      [
        container('c1', 'web', 'running', { backend: { NetworkID: 'n2', IPAddress: '10.1.0.2', IPPrefixLen: 16 } }),
        // A stopped container keeps the network's name but no id or address.
        container('c2', 'api', 'exited', { backend: { NetworkID: '', IPAddress: '', IPPrefixLen: 0 } }),
        container('c3', 'ghost', 'exited', { removed: { NetworkID: '', IPAddress: '', IPPrefixLen: 0 } }),
      ],
    );
    expect(summaries.map((summary) => summary.name)).toEqual(['backend', 'bridge', 'host']);
    expect(summaries[0]).toEqual({
      id: 'n2',
      name: 'backend',
      driver: 'bridge',
      scope: 'local',
      subnets: ['10.1.0.0/16'],
      internal: false,
      builtIn: false,
      createdAt: '2026-01-01T00:00:00Z',
      containers: [
        { id: 'c2', name: 'api', state: 'exited', address: null },
        { id: 'c1', name: 'web', state: 'running', address: '10.1.0.2/16' },
      ],
    });
    expect(summaries[1]).toMatchObject({ builtIn: true, containers: [] });
    expect(summaries[2]).toMatchObject({ builtIn: true, subnets: [] });
  });

  it("trusts the endpoints over a running container's settings, which lag behind a connect or disconnect", () => {
    const [summary] = toNetworkSummaries(
      [network('n2', 'backend', [], { c9: { Name: 'newcomer', IPv4Address: '10.1.0.9/16' } })],
      [
        container('c1', 'leaving', 'running', { backend: { NetworkID: 'n2', IPAddress: '10.1.0.2', IPPrefixLen: 16 } }),
        container('c9', 'newcomer', 'running', {}),
      ],
    );
    expect(summary?.containers.map((attached) => attached.name)).toEqual(['newcomer']);
  });
});

describe('overlappingNetworks', () => {
  it('names each network whose IPv4 range shares addresses, with that range', () => {
    const networks = [
      { name: 'wide', subnets: ['10.55.0.0/16'] },
      { name: 'apart', subnets: ['10.56.0.0/16'] },
      { name: 'dual', subnets: ['fd00::/64', '10.55.3.128/25'] },
    ];
    expect(overlappingNetworks('10.55.3.0/24', networks)).toEqual(['wide (10.55.0.0/16)', 'dual (10.55.3.128/25)']);
    expect(overlappingNetworks('192.168.9.0/24', networks)).toEqual([]);
  });
});

describe('networkNameProblem', () => {
  it.each(['x', 'backend', 'my_net.2-a'])('accepts %j', (name) => expect(networkNameProblem(name)).toBeNull());
  it.each(['', '-x', 'has space', 'a/b', 'é'])('refuses %j', (name) => expect(networkNameProblem(name)).not.toBeNull());
});
