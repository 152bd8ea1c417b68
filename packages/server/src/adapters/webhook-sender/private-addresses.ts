import { BlockList, isIP } from 'node:net';

// Where a webhook must not reach in production: the operator's own network and machine (SSRF),
// and addresses that are not unicast destinations on the public internet at all.
// IANA special-purpose registries: https://www.iana.org/assignments/iana-ipv4-special-registry
// and https://www.iana.org/assignments/iana-ipv6-special-registry
const BLOCKED_IPV4: ReadonlyArray<readonly [string, number, string]> = [
  ['0.0.0.0', 8, '"this network"'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local, cloud metadata services'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation (TEST-NET-1)'],
  ['192.88.99.0', 24, '6to4 relay anycast'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation (TEST-NET-2)'],
  ['203.0.113.0', 24, 'documentation (TEST-NET-3)'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved, and 255.255.255.255 broadcast'],
];

// Whole IPv6 prefixes, including every transition mechanism that embeds an IPv4 address (NAT64,
// 6to4, Teredo, IPv4-compatible): blocked outright rather than decoded, so an internal IPv4
// address cannot hide inside one, and no decoding bug can let one through.
const BLOCKED_IPV6: ReadonlyArray<readonly [string, number, string]> = [
  ['::', 96, 'unspecified ::, loopback ::1 and IPv4-compatible ::a.b.c.d (deprecated)'],
  ['::ffff:0:0:0', 96, 'IPv4-translated (SIIT)'],
  ['64:ff9b::', 96, 'NAT64 well-known prefix'],
  ['64:ff9b:1::', 48, 'NAT64 local-use prefix'],
  ['100::', 64, 'discard-only'],
  ['2001::', 23, 'IETF protocol assignments, Teredo 2001::/32 among them'],
  ['2001:db8::', 32, 'documentation'],
  ['2002::', 16, '6to4'],
  ['fc00::', 7, 'unique local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local (deprecated)'],
  ['ff00::', 8, 'multicast'],
];

const BLOCKED = new BlockList();
for (const [net, prefix] of BLOCKED_IPV4) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
  // IPv4-mapped (::ffff:a.b.c.d): what a dual-stack resolver or socket may hand back.
  BLOCKED.addSubnet(`::ffff:${net}`, 96 + prefix, 'ipv6');
}
for (const [net, prefix] of BLOCKED_IPV6) BLOCKED.addSubnet(net, prefix, 'ipv6');

/**
 * True for addresses a production gateway must not deliver to: loopback, private, link-local,
 * reserved, multicast, and IPv6 forms that embed an IPv4 address. False for anything that is not
 * an IP address (resolve names first, then check every address).
 */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/%.*$/, ''); // fe80::1%eth0: the zone says nothing about the range
  const family = isIP(bare);
  if (family === 0) return false;
  return BLOCKED.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}
