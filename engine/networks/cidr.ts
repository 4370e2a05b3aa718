/** IPv4 subnets in CIDR form: parsing with a reason a person can act on, and overlap between ranges. */

export interface Ipv4Subnet {
  /** The first address of the range, as an unsigned 32-bit number. */
  base: number;
  prefix: number;
  /** The canonical text: the range's first address and the prefix ("10.1.0.0/16" for "10.1.2.3/16"). */
  text: string;
}

const CIDR_EXAMPLE = 'such as 172.30.0.0/16';

function toText(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 255).join('.');
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** The subnet, or a sentence saying what is wrong with the text. */
export function parseIpv4Subnet(text: string): Ipv4Subnet | string {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  if (!match) return `A subnet is an IPv4 range in CIDR form, ${CIDR_EXAMPLE}.`;
  const octets = match.slice(1, 5).map(Number);
  if (octets.some((octet) => octet > 255)) return `Each part of an IPv4 address is 0 to 255 (${text.trim()}).`;
  const prefix = Number(match[5]);
  if (prefix > 30) return 'A subnet needs a prefix of /30 or shorter to hold a gateway and a container.';
  if (prefix < 8) return 'A subnet prefix shorter than /8 would cover too much of the address space.';
  const address = octets.reduce((value, octet) => value * 256 + octet, 0);
  const base = (address & maskOf(prefix)) >>> 0;
  return { base, prefix, text: `${toText(base)}/${prefix}` };
}

export function subnetProblem(text: string): string | null {
  const parsed = parseIpv4Subnet(text);
  return typeof parsed === 'string' ? parsed : null;
}

/** Whether two ranges share an address (one contains the other, or they are equal). */
export function subnetsOverlap(a: Ipv4Subnet, b: Ipv4Subnet): boolean {
  const prefix = Math.min(a.prefix, b.prefix);
  const mask = maskOf(prefix);
  return (a.base & mask) >>> 0 === (b.base & mask) >>> 0;
}
