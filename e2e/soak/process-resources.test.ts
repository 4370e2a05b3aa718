import { describe, expect, it } from 'vitest';
import { peersOfListener } from './process-resources.js';

describe('peersOfListener', () => {
  const output = [
    'Netid State Recv-Q Send-Q                          Local Address:Port    Peer Address:Port   Process',
    'u_str ESTAB 0      0                                           * 2937087            * 2937086       ',
    'u_str ESTAB 0      0         /tmp/berth-dockerd-x/docker.sock 2938162            * 2938161       ',
    'u_str ESTAB 0      0         /tmp/berth-dockerd-x/docker.sock 2938170            * 2938171       ',
    'u_str LISTEN 0     4096      /tmp/berth-dockerd-x/docker.sock 2938100            * 0       ',
    'u_str ESTAB 0      0         /tmp/berth-dockerd-y/docker.sock 2938180            * 2938181       ',
    'u_dgr ESTAB 0      0         /tmp/berth-dockerd-x/docker.sock 2938190            * 2938191       ',
  ].join('\n');

  it("gives the peers' inodes of the connections accepted on that path only", () => {
    expect(peersOfListener(output, '/tmp/berth-dockerd-x/docker.sock')).toEqual(['2938161', '2938171']);
  });

  it('finds none for a path nobody listens on', () => {
    expect(peersOfListener(output, '/tmp/elsewhere.sock')).toEqual([]);
  });
});
