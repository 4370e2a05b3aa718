import { describe, expect, it } from 'vitest';
import { parseIpv4Subnet, subnetProblem, subnetsOverlap, type Ipv4Subnet } from './cidr.js';

const subnet = (text: string): Ipv4Subnet => {
  const parsed = parseIpv4Subnet(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
};

describe('parseIpv4Subnet', () => {
  it('parses a range and names it by its first address', () => {
    expect(subnet('172.30.0.0/16')).toMatchObject({ prefix: 16, text: '172.30.0.0/16' });
    expect(subnet(' 10.1.2.3/16 ').text).toBe('10.1.0.0/16');
  });

  it.each([
    ['10.0.0.0', /CIDR form/],
    ['10.0.0/16', /CIDR form/],
    ['fd00::/64', /CIDR form/],
    ['10.0.300.0/24', /0 to 255/],
    ['10.0.0.0/31', /\/30 or shorter/],
    ['10.0.0.0/4', /shorter than \/8/],
  ])('refuses %j, saying why', (text, reason) => {
    expect(subnetProblem(text)).toMatch(reason);
  });

  it('accepts a valid subnet', () => {
    expect(subnetProblem('192.168.77.0/24')).toBeNull();
  });
});

describe('subnetsOverlap', () => {
  it('sees containment both ways and equality', () => {
    expect(subnetsOverlap(subnet('10.55.0.0/16'), subnet('10.55.3.0/24'))).toBe(true);
    expect(subnetsOverlap(subnet('10.55.3.0/24'), subnet('10.55.0.0/16'))).toBe(true);
    expect(subnetsOverlap(subnet('10.55.3.0/24'), subnet('10.55.3.0/24'))).toBe(true);
  });

  it('keeps neighbours apart', () => {
    expect(subnetsOverlap(subnet('10.55.3.0/24'), subnet('10.55.4.0/24'))).toBe(false);
    expect(subnetsOverlap(subnet('192.168.0.0/16'), subnet('10.0.0.0/8'))).toBe(false);
  });
});
