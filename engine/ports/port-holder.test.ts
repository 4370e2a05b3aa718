import { describe, expect, it } from 'vitest';
import type { HostPortLookup } from './host-port-lookup.js';
import type { HostPortProcess } from './port-holder-types.js';
import { describePortHolder, PortHolderFinder, portHolderPhrase } from './port-holder.js';

const lookup = (answer: HostPortProcess): HostPortLookup & { asked: number[] } => {
  const asked: number[] = [];
  return { asked, holderOf: async (port) => (asked.push(port), answer) };
};

describe('describePortHolder', () => {
  it('names each kind of holder in one sentence', () => {
    expect(describePortHolder(8080, { kind: 'container', id: 'c', name: 'web' })).toBe(
      'Port 8080 is already in use by container web.',
    );
    expect(describePortHolder(8080, { kind: 'process', pid: 4242, program: 'python3' })).toBe(
      'Port 8080 is already in use by python3 (pid 4242) on this computer.',
    );
    expect(describePortHolder(8080, { kind: 'berth', description: "forward of container web's port 80" })).toBe(
      "Port 8080 is already in use by Berth's own forward of container web's port 80.",
    );
    expect(describePortHolder(8080, { kind: 'none' })).toBe('Port 8080 is already in use.');
    expect(portHolderPhrase({ kind: 'none' })).toBe('');
  });
});

describe('PortHolderFinder without an engine (the VM forwarder’s)', () => {
  it('names Berth’s own forward before asking the host, whose holder would only be QEMU', async () => {
    const host = lookup({ kind: 'process', pid: 77, program: 'qemu-system-x86' });
    const finder = new PortHolderFinder(null, host, {
      berthForward: (port) => (port === 8080 ? "forward of container web's port 80" : null),
    });
    expect(await finder.describe(8080)).toBe("Port 8080 is already in use by Berth's own forward of container web's port 80.");
    expect(host.asked).toEqual([]);
    expect(await finder.find(9090)).toEqual({ kind: 'process', pid: 77, program: 'qemu-system-x86' });
    expect(host.asked).toEqual([9090]);
  });

  it('calls a holder in Berth’s own process Berth, and a failed lookup nobody', async () => {
    const self = new PortHolderFinder(null, lookup({ kind: 'process', pid: process.pid, program: 'node' }));
    expect(await self.find(8080)).toEqual({ kind: 'berth', description: `app (pid ${process.pid})` });
    const broken = new PortHolderFinder(null, { holderOf: async () => Promise.reject(new Error('no /proc')) });
    expect(await broken.find(8080)).toEqual({ kind: 'none' });
  });
});
