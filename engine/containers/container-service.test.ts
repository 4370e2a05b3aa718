import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { ContainerSummarySchema } from '../../app/contract/schemas.js';
import { toContainerSummary, toPublishedPorts } from './container-service.js';

function port(IP: string | undefined, PrivatePort: number, PublicPort: number | undefined, Type = 'tcp'): Dockerode.Port {
  // The engine omits IP and PublicPort for a port that is only exposed; the published types say otherwise.
  return { IP, PrivatePort, PublicPort, Type } as Dockerode.Port;
}

function containerInfo(overrides: Partial<Dockerode.ContainerInfo> = {}): Dockerode.ContainerInfo {
  return {
    Id: '4f2a9c0d1e7b3a5c6d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c',
    Names: ['/web'],
    Image: 'nginx:1.27',
    ImageID: 'sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    Command: 'nginx -g "daemon off;"',
    Created: 1_732_000_000,
    Ports: [],
    Labels: {},
    State: 'running',
    Status: 'Up 3 minutes',
    HostConfig: { NetworkMode: 'bridge' },
    NetworkSettings: { Networks: {} },
    Mounts: [],
    ...overrides,
  };
}

describe('toPublishedPorts', () => {
  it('lists a port published on both address families once, keeping the first address', () => {
    const ports = toPublishedPorts([port('0.0.0.0', 80, 8080), port('::', 80, 8080)]);
    expect(ports).toEqual([{ hostPort: 8080, hostIp: '0.0.0.0', containerPort: 80, protocol: 'tcp' }]);
  });

  it('keeps tcp and udp on the same number apart', () => {
    const ports = toPublishedPorts([
      port('0.0.0.0', 53, 5353, 'udp'),
      port('::', 53, 5353, 'udp'),
      port('0.0.0.0', 53, 5353, 'tcp'),
    ]);
    expect(ports.map((p) => p.protocol).sort()).toEqual(['tcp', 'udp']);
  });

  it('keeps two host ports mapped to one container port', () => {
    const ports = toPublishedPorts([port('0.0.0.0', 80, 8081), port('0.0.0.0', 80, 8080), port('::', 80, 8081)]);
    expect(ports.map((p) => p.hostPort)).toEqual([8080, 8081]);
  });

  it('shows an exposed-only port with no host side, first', () => {
    const ports = toPublishedPorts([port('0.0.0.0', 80, 8080), port(undefined, 443, undefined)]);
    expect(ports).toEqual([
      { hostPort: null, hostIp: null, containerPort: 443, protocol: 'tcp' },
      { hostPort: 8080, hostIp: '0.0.0.0', containerPort: 80, protocol: 'tcp' },
    ]);
  });

  it('sorts by host port, then container port', () => {
    const ports = toPublishedPorts([port('0.0.0.0', 9000, 9000), port('0.0.0.0', 81, 3000), port('0.0.0.0', 80, 3000, 'udp')]);
    expect(ports.map((p) => `${p.hostPort}->${p.containerPort}`)).toEqual(['3000->80', '3000->81', '9000->9000']);
  });

  it('returns nothing for no ports', () => {
    expect(toPublishedPorts([])).toEqual([]);
  });
});

describe('toContainerSummary', () => {
  it('maps the engine fields and drops the leading slash of the name', () => {
    const summary = toContainerSummary(containerInfo({ Ports: [port('0.0.0.0', 80, 8080), port('::', 80, 8080)] }));
    expect(summary).toEqual({
      id: '4f2a9c0d1e7b3a5c6d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c',
      name: 'web',
      image: 'nginx:1.27',
      imageId: 'sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      command: 'nginx -g "daemon off;"',
      state: 'running',
      status: 'Up 3 minutes',
      ports: [{ hostPort: 8080, hostIp: '0.0.0.0', containerPort: 80, protocol: 'tcp' }],
      created: 1_732_000_000,
      composeProject: null,
      composeService: null,
    });
  });

  it('reads the compose project and service from the labels', () => {
    const summary = toContainerSummary(
      containerInfo({ Labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'db' } }),
    );
    expect([summary.composeProject, summary.composeService]).toEqual(['shop', 'db']);
  });

  it("produces what the contract's result schema accepts", () => {
    expect(ContainerSummarySchema.safeParse(toContainerSummary(containerInfo())).success).toBe(true);
  });

  it('names a container without names by its short id', () => {
    expect(toContainerSummary(containerInfo({ Names: [] })).name).toBe('4f2a9c0d1e7b');
  });

  it.each(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'])('keeps the known state %s', (state) => {
    expect(toContainerSummary(containerInfo({ State: state })).state).toBe(state);
  });

  it('reads an unknown state as dead rather than passing it on', () => {
    expect(toContainerSummary(containerInfo({ State: 'zombie' })).state).toBe('dead');
  });

  it('copes with an engine that omits Ports', () => {
    const info = containerInfo();
    delete (info as Partial<Dockerode.ContainerInfo>).Ports;
    expect(toContainerSummary(info).ports).toEqual([]);
  });
});
