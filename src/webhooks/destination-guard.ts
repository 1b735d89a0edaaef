import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIPv6 } from 'node:net';

/**
 * IPv4 space that is not the public unicast Internet: every block of the IANA IPv4 Special-Purpose Address Registry
 * whose "Globally Reachable" is False (and 192.0.0.0/24 whole, whose two global /32s are anycast services, not
 * partner servers), the deprecated 6to4 relay anycast (RFC 7526), multicast and the reserved 240.0.0.0/4.
 */
const NON_PUBLIC_IPV4: Array<[network: string, prefix: number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

/**
 * IPv6 space that is not the public unicast Internet. Only 2000::/3 is allocated as global unicast (RFC 4291 §2.4,
 * IANA IPv6 Address Space registry); everything outside it is refused whole, which covers ::/128, ::1, the
 * IPv4-compatible ::/96, IPv4-mapped ::ffff:0:0/96, IPv4-translated ::ffff:0:0:0/96, NAT64 64:ff9b::/96 and
 * 64:ff9b:1::/48, discard-only 100::/64, SRv6 5f00::/16, unique-local fc00::/7, link-local fe80::/10, the deprecated
 * site-local fec0::/10 and multicast ff00::/8, and whatever is assigned there later. Inside 2000::/3, the IANA IPv6
 * Special-Purpose Address Registry's blocks: the IETF protocol assignments 2001::/23 whole (Teredo, benchmarking,
 * ORCHID and ORCHIDv2, AMT, AS112, DRIP: none is a partner's server, several embed or stand for other addresses),
 * documentation 2001:db8::/32 and 3fff::/20, and 6to4 2002::/16 (it embeds an IPv4 address).
 */
const NON_PUBLIC_IPV6: Array<[network: string, prefix: number]> = [
  ['::', 3],
  ['4000::', 2],
  ['8000::', 1],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['3fff::', 20],
];

// Separate lists: a BlockList also matches an IPv4 address against IPv6 rules (as ::ffff:a.b.c.d), which would
// make the IPv6 rule ::/3 refuse every IPv4 address.
const nonPublicIpv4 = new BlockList();
for (const [network, prefix] of NON_PUBLIC_IPV4) nonPublicIpv4.addSubnet(network, prefix, 'ipv4');
const nonPublicIpv6 = new BlockList();
for (const [network, prefix] of NON_PUBLIC_IPV6) nonPublicIpv6.addSubnet(network, prefix, 'ipv6');

/** True unless `address` (an IPv4 or IPv6 literal) is public unicast Internet space. */
export function isNonPublicAddress(address: string): boolean {
  return isIPv6(address) ? nonPublicIpv6.check(address, 'ipv6') : nonPublicIpv4.check(address, 'ipv4');
}

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
  const refused = addresses.some(({ address }) => isNonPublicAddress(address));
  if (refused && !allowPrivate) throw new DestinationRefused('not_public');
  return addresses;
}
