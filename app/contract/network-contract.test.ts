/** The argument rules the renderer checks before a round trip and the API enforces at the boundary. */
import { describe, expect, it } from 'vitest';
import { NetworkName, networkContract, SubnetSchema } from './network-contract.js';
import { systemContract } from './system-contract.js';
import { VolumePath } from './volume-contract.js';

const firstMessage = (result: { success: boolean; error?: { issues: Array<{ message: string }> } }) =>
  result.error?.issues[0]?.message;

describe('network arguments', () => {
  it('explains an invalid network name', () => {
    expect(firstMessage(NetworkName.safeParse('bad name'))).toMatch(/starts with a letter or digit/);
    expect(firstMessage(NetworkName.safeParse(''))).toBe('A network name is required.');
  });

  it("explains an invalid subnet, with the engine service's own reasons", () => {
    expect(firstMessage(SubnetSchema.safeParse('10.0.0.0'))).toMatch(/CIDR form/);
    expect(firstMessage(SubnetSchema.safeParse('10.0.0.0/31'))).toMatch(/\/30 or shorter/);
    expect(SubnetSchema.safeParse('10.20.0.0/16').success).toBe(true);
  });

  it('create takes an optional subnet; connect needs a network and a container', () => {
    expect(networkContract.create.args.safeParse({ name: 'backend' }).success).toBe(true);
    expect(networkContract.create.args.safeParse({ name: 'backend', subnet: 'nope' }).success).toBe(false);
    expect(networkContract.connect.args.safeParse({ network: 'backend' }).success).toBe(false);
  });
});

describe('volume paths and prune kinds', () => {
  it('refuses paths that climb out of the volume', () => {
    expect(firstMessage(VolumePath.safeParse('/a/../../etc'))).toMatch(/"\.\."/);
    expect(firstMessage(VolumePath.safeParse('etc'))).toMatch(/starts with "\/"/);
    expect(VolumePath.safeParse('/logs/today').success).toBe(true);
  });

  it('prunes only the kinds it knows', () => {
    expect(systemContract.prune.args.safeParse({ kind: 'networks' }).success).toBe(false);
    expect(systemContract.prune.args.safeParse({ kind: 'build-cache' }).success).toBe(true);
  });
});
