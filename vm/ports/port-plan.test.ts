import { describe, expect, it } from 'vitest';
import type { PublishedPort } from '../../engine/core/index.js';
import {
  berthForwardDescription,
  diffForwards,
  forwardKey,
  planForwards,
  portTakenMessage,
  publishedPortsFromBindings,
  sameProblems,
  type PortedContainer,
} from './port-plan.js';

const port = (hostPort: number | null, protocol: PublishedPort['protocol'] = 'tcp', hostIp = '0.0.0.0'): PublishedPort => ({
  hostPort,
  hostIp,
  containerPort: 80,
  protocol,
});
const container = (id: string, ports: PublishedPort[], state = 'running'): PortedContainer => ({ id, state, ports });

describe('planForwards', () => {
  it('wants one forward per published TCP or UDP host port of a running or paused container', () => {
    const plan = planForwards([
      container('web', [port(8080), port(8080, 'tcp', '::')]),
      container('dns', [port(5353, 'udp')]),
      container('paused', [port(9000)], 'paused'),
    ]);
    expect([...plan.wanted.keys()].sort()).toEqual(['tcp:8080', 'tcp:9000', 'udp:5353']);
    expect(plan.wanted.get('tcp:8080')).toEqual({ protocol: 'tcp', hostPort: 8080, containerIds: ['web'] });
    expect(plan.problems.size).toBe(0);
  });

  it('ignores exposed-only ports, sctp, and containers that are not running', () => {
    const plan = planForwards([
      container('exposed', [port(null)]),
      container('sctp', [port(7000, 'sctp')]),
      container('exited', [port(8081)], 'exited'),
      container('created', [port(8082)], 'created'),
    ]);
    expect(plan.wanted.size).toBe(0);
    expect(plan.problems.size).toBe(0);
  });

  it('reports, rather than forwards, a port bound to one address inside the VM', () => {
    const plan = planForwards([container('local', [port(8080, 'tcp', '127.0.0.1')])]);
    expect(plan.wanted.size).toBe(0);
    expect(plan.problems.get('local')).toEqual([
      'Port 8080 is published on 127.0.0.1 inside the VM only; publish it on all addresses (e.g. -p 8080:80) to reach it from this computer.',
    ]);
  });

  it('keeps TCP and UDP on the same number apart', () => {
    const plan = planForwards([container('both', [port(53), port(53, 'udp')])]);
    expect([...plan.wanted.keys()].sort()).toEqual(['tcp:53', 'udp:53']);
  });
});

describe('diffForwards', () => {
  it('removes what is no longer wanted and adds what is new, leaving the rest', () => {
    const active = planForwards([container('a', [port(1000), port(2000)])]).wanted;
    const wanted = planForwards([container('a', [port(2000)]), container('b', [port(3000)])]).wanted;
    const diff = diffForwards(active, wanted);
    expect(diff.remove.map(forwardKey)).toEqual(['tcp:1000']);
    expect(diff.add.map(forwardKey)).toEqual(['tcp:3000']);
  });
});

describe('messages', () => {
  it('says which port is taken and what that means for the container', () => {
    expect(portTakenMessage({ protocol: 'tcp', hostPort: 8080 })).toBe(
      "Port 8080 is already in use on this computer; the container's port is reachable only inside the VM.",
    );
    expect(portTakenMessage({ protocol: 'udp', hostPort: 53 })).toMatch(/^UDP port 53 is already in use/);
  });

  it('names who holds a taken port when it is known', () => {
    const tcp = { protocol: 'tcp', hostPort: 8080 } as const;
    const vmOnly = "; the container's port is reachable only inside the VM.";
    expect(portTakenMessage(tcp, { kind: 'process', pid: 4242, program: 'python3' })).toBe(
      `Port 8080 is already in use by python3 (pid 4242) on this computer${vmOnly}`,
    );
    const forward = berthForwardDescription({ id: 'f'.repeat(64), name: 'web' }, 80);
    expect(portTakenMessage(tcp, { kind: 'berth', description: forward })).toBe(
      `Port 8080 is already in use by Berth's own forward of container web's port 80${vmOnly}`,
    );
    expect(portTakenMessage(tcp, { kind: 'unseen', reason: 'it belongs to another user (uid 0)' })).toBe(
      `Port 8080 is already in use on this computer, but it belongs to another user (uid 0)${vmOnly}`,
    );
    // Nobody found: the plain message, not an empty "in use ;".
    expect(portTakenMessage(tcp, { kind: 'none' })).toBe(portTakenMessage(tcp));
  });

  it('names a forward’s container by its id when it has no name', () => {
    expect(berthForwardDescription({ id: '0123456789abcdef0123' }, 443)).toBe("forward of container 0123456789ab's port 443");
  });

  it('compares problem maps by content', () => {
    expect(sameProblems(new Map([['a', ['x']]]), new Map([['a', ['x']]]))).toBe(true);
    expect(sameProblems(new Map([['a', ['x']]]), new Map([['a', ['y']]]))).toBe(false);
    expect(sameProblems(new Map([['a', ['x']]]), new Map())).toBe(false);
  });
});

describe('publishedPortsFromBindings', () => {
  it('reads an inspect’s port map once per port, skipping exposed-only ports', () => {
    expect(
      publishedPortsFromBindings({
        '80/tcp': [
          { HostIp: '0.0.0.0', HostPort: '8080' },
          { HostIp: '::', HostPort: '8080' },
        ],
        '53/udp': [{ HostIp: '127.0.0.1', HostPort: '5353' }],
        '443/tcp': null,
      }),
    ).toEqual([
      { hostPort: 8080, hostIp: '0.0.0.0', containerPort: 80, protocol: 'tcp' },
      { hostPort: 5353, hostIp: '127.0.0.1', containerPort: 53, protocol: 'udp' },
    ]);
    expect(publishedPortsFromBindings(null)).toEqual([]);
  });
});
