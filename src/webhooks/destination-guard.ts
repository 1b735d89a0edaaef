import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIPv6 } from 'node:net';

/** Everything but the public unicast Internet: IANA's special-purpose registries, multicast and reserved space. */
const NON_PUBLIC_RANGES: Array<[network: string, prefix: number, family: 'ipv4' | 'ipv6']> = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  // IPv4-compatible (::a.b.c.d, including :: and ::1), NAT64 and 6to4 addresses embed an IPv4 address that may be private.
  ['::', 96, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001::', 32, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['2002::', 16, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

// BlockList also applies the IPv4 ranges to IPv4-mapped IPv6 addresses (::ffff:10.0.0.1).
const nonPublic = new BlockList();
for (const [network, prefix, family] of NON_PUBLIC_RANGES) nonPublic.addSubnet(network, prefix, family);

const PROBLEMS = {
  unresolvable: 'must have a host name that resolves',
  not_public: 'must not point to a loopback, private, link-local, shared, reserved, multicast or unspecified address',
};

/** A webhook URL that must not be called; the message never names the resolved address. */
export class DestinationRefused extends Error {
  constructor(problem: keyof typeof PROBLEMS) {
    super(PROBLEMS[problem]);
    this.name = 'DestinationRefused';
  }
}

/**
 * Every address the URL's host resolves to; refused when any of them is not public (unless private ones are allowed),
 * since a caller could otherwise make this service reach its own network.
 */
export async function resolveDestination(url: URL, allowPrivate: boolean): Promise<LookupAddress[]> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = await lookup(host, { all: true, verbatim: true }).catch(() => {
    throw new DestinationRefused('unresolvable');
  });
  if (addresses.length === 0) throw new DestinationRefused('unresolvable');
  const refused = addresses.some(({ address }) => nonPublic.check(address, isIPv6(address) ? 'ipv6' : 'ipv4'));
  if (refused && !allowPrivate) throw new DestinationRefused('not_public');
  return addresses;
}
