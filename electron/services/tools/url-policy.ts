// Which URLs the fetch tool may read. The model chooses the URL, so it must not be a way into the
// user's own machine or network (router admin pages, local dev servers, cloud metadata endpoints):
// only http(s), no credentials in the URL, and no loopback, private, link-local or otherwise
// non-public address, checked on the literal host AND on every address DNS returns at connect time
// (a public name resolving to 127.0.0.1, or a redirect to one, is refused the same way).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { ToolError } from './errors.ts';

export interface UrlPolicy {
  /**
   * Test-only: let 127.0.0.0/8, ::1 and `localhost` through (the e2e suite serves its pages on
   * 127.0.0.1). Private networks stay blocked even then.
   */
  allowLoopback: boolean;
}

export const MAX_URL = 2048;

const nonPublic = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  nonPublic.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // old site-local
  ['ff00::', 8], // multicast
] as const) {
  nonPublic.addSubnet(net, prefix, 'ipv6');
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** The eight 16-bit groups of an IPv6 address (with an embedded dotted IPv4 tail expanded). */
function hextets(addr: string): number[] | null {
  let a = addr.toLowerCase().split('%')[0]!;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (v4) {
    const p = v4[1]!.split('.').map(Number);
    a = `${a.slice(0, -v4[1]!.length)}${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const [head, tail] = a.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail ? tail.split(':') : [];
  const fill = tail !== undefined ? 8 - h.length - t.length : 0;
  const groups = [...h, ...Array<string>(Math.max(0, fill)).fill('0'), ...t].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : null;
}

/** The IPv4 address an IPv6 address carries (mapped, NAT64, 6to4), if any. */
function embeddedV4(addr: string): string | null {
  const g = hextets(addr);
  if (!g) return null;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return v4(g[6]!, g[7]!); // ::ffff:a.b.c.d
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4(g[6]!, g[7]!); // 64:ff9b::/96
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!); // 6to4
  return null;
}

/** True when the fetch tool may connect to `address` (an IP literal). */
export function addressAllowed(address: string, policy: UrlPolicy): boolean {
  const a = address.replace(/^\[|\]$/g, '');
  const family = isIP(a);
  if (family === 0) return false;
  if (family === 6) {
    const inner = embeddedV4(a);
    if (inner) return addressAllowed(inner, policy);
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (policy.allowLoopback && loopback.check(a, type)) return true;
  return !nonPublic.check(a, type);
}

/** Parses and checks a URL the model asked for; throws a `blocked_url` ToolError saying why. */
export function checkUrl(raw: unknown, policy: UrlPolicy): URL {
  if (typeof raw !== 'string' || !raw.trim()) throw new ToolError('bad_arguments', '"url" must be a non-empty string.');
  if (raw.length > MAX_URL) throw new ToolError('blocked_url', `URLs are limited to ${MAX_URL} characters.`);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ToolError('bad_arguments', `Not a valid absolute URL: ${raw.slice(0, 200)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ToolError('blocked_url', `Only http and https URLs can be fetched, not ${url.protocol}`);
  if (url.username || url.password) throw new ToolError('blocked_url', 'URLs with a user name or password are not fetched.');
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (isIP(host)) {
    if (!addressAllowed(host, policy)) throw new ToolError('blocked_url', `${host} is a local or private address; only public addresses are fetched.`);
  } else if (host === 'localhost' || host.endsWith('.localhost')) {
    if (!policy.allowLoopback) throw new ToolError('blocked_url', 'localhost is not fetched; only public addresses are.');
  } else if (!host.includes('.')) {
    // A single-label name ("router", "intranet") only resolves on a local network.
    throw new ToolError('blocked_url', `${host} is not a public host name.`);
  }
  return url;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http(s).request that refuses to connect when any address the name resolves to is
 * not public. Checking at connect time is what defeats DNS rebinding: the address checked is the
 * address used.
 */
export function guardedLookup(policy: UrlPolicy) {
  return (hostname: string, options: { family?: number | string; all?: boolean }, callback: LookupCallback): void => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : typeof options.family === 'number' ? options.family : 0;
    dnsLookup(hostname, { all: true, family }, (err, addresses) => {
      if (err) return callback(err, []);
      const bad = addresses.find((a) => !addressAllowed(a.address, policy));
      if (bad || !addresses.length) {
        const e: NodeJS.ErrnoException = new Error(`${hostname} resolves to ${bad?.address ?? 'nothing'}, a local or private address; only public addresses are fetched.`);
        e.code = 'KAIWA_BLOCKED_ADDRESS';
        return callback(e, []);
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
