import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from './private-addresses.js';

describe('isPrivateAddress', () => {
  it.each([
    // IPv4: this network, private, loopback, link-local, CGNAT
    '0.0.0.0',
    '0.1.2.3',
    '10.0.0.1',
    '100.64.0.1',
    '100.127.255.254',
    '127.0.0.1',
    '127.255.255.254',
    '169.254.169.254',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    // IPv4: reserved and documentation ranges, benchmarking, multicast, class E, broadcast
    '192.0.0.1',
    '192.0.0.170',
    '192.0.2.10',
    '198.18.0.1',
    '198.19.255.255',
    '198.51.100.7',
    '203.0.113.9',
    '224.0.0.1',
    '239.255.255.250',
    '240.0.0.1',
    '255.255.255.255',
    // IPv6: unspecified, loopback, unique local, link-local (with a zone), multicast
    '::',
    '::1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'fe80::1%eth0',
    'ff02::1',
    'ff05::2',
    // IPv4-mapped and IPv4-compatible forms of private addresses, in either notation
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.1.2.3',
    '::ffff:169.254.169.254',
    '::127.0.0.1',
    '::10.0.0.1',
    '::7f00:1',
    // NAT64 (well-known and local-use), 6to4, Teredo: each can carry an internal IPv4 address
    '64:ff9b::7f00:1',
    '64:ff9b::a00:1',
    '64:ff9b::808:808',
    '64:ff9b:1::a00:1',
    '2002:7f00:1::',
    '2002:a00:1::1',
    '2002:808:808::1',
    '2001::1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
  ])('refuses %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '100.63.255.255',
    '100.128.0.0',
    '172.32.0.1',
    '192.0.1.1',
    '198.20.0.1',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
  ])('allows the public address %s', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  it('does not call a name an address (names are resolved first, then each address is checked)', () => {
    expect(isPrivateAddress('localhost')).toBe(false);
  });
});
