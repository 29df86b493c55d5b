// Which URLs the fetch tool may read. The model chooses the URL, so it must not be a way into the
// user's own machine or network (router admin pages, local dev servers, cloud metadata endpoints):
// only http(s), no credentials in the URL, and no loopback, private, link-local or otherwise
// non-public address, checked on the literal host AND on every address DNS returns at connect time
// (a public name resolving to 127.0.0.1, or a redirect to one, is refused the same way).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { ToolError } from './errors.ts';

export interface UrlPolicy {
  /**
   * Test-only: let 127.0.0.0/8, ::1 and `localhost` through (the e2e suite serves its pages on
   * 127.0.0.1). Private networks stay blocked even then.
   */
  allowLoopback: boolean;
}

export const MAX_URL = 2048;

type Kind = 'public' | 'loopback' | 'not public';

const v4 = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);

/** An embedded IPv4 address that goes through a translator or relay counts only when it is public. */
const relayed = (inner: ipaddr.IPv4): Kind => (classify(inner) === 'public' ? 'public' : 'not public');

/**
 * What an address reaches. The ranges are ipaddr.js's (IANA special-purpose registries); on top of
 * them: an IPv6 form that carries an IPv4 address is judged by that address, and IPv6 is public
 * only inside global unicast (2000::/3) — the library calls the rest of the space "unicast" too,
 * including the deprecated IPv4-compatible form (`::7f00:1` is 127.0.0.1 to some stacks).
 */
function classify(addr: ipaddr.IPv4 | ipaddr.IPv6): Kind {
  if (addr.kind() === 'ipv4') {
    const r = (addr as ipaddr.IPv4).range();
    return r === 'unicast' ? 'public' : r === 'loopback' ? 'loopback' : 'not public';
  }
  const a = addr as ipaddr.IPv6;
  const p = a.parts;
  switch (a.range()) {
    case 'loopback':
      return 'loopback';
    case 'ipv4Mapped': // ::ffff:a.b.c.d — the socket connects to a.b.c.d itself
    case 'rfc6145': // ::ffff:0:a.b.c.d (SIIT, "IPv4-translated")
      return classify(v4(p[6]!, p[7]!));
    case 'rfc6052': // NAT64: the well-known 64:ff9b::/96 carries an IPv4 address; 64:ff9b:1::/48 is local use
      return p[2] === 0 && p[3] === 0 && p[4] === 0 && p[5] === 0 ? relayed(v4(p[6]!, p[7]!)) : 'not public';
    case '6to4': // 2002:AABB:CCDD::/48 is the network behind A.B.C.D
      return relayed(v4(p[1]!, p[2]!));
    case 'unicast':
      return (p[0]! & 0xe000) === 0x2000 ? 'public' : 'not public';
    default:
      return 'not public';
  }
}

/** True when the fetch tool may connect to `address` (an IP literal). */
export function addressAllowed(address: string, policy: UrlPolicy): boolean {
  const a = address.replace(/^\[|\]$/g, '');
  // Node's strict syntax first: ipaddr.js also reads forms like "127.1" or "0x7f.1", which no
  // resolver returns and a URL host has already been normalised from.
  const family = isIP(a);
  if (family === 0) return false;
  // IPv6 in the URL standard's canonical form (hex only, zone dropped: a zone only ever goes with
  // link-local, refused anyway). ipaddr.js reads `::8.8.8.8` as `::ffff:8.8.8.8`, but to a socket
  // that is the IPv4-compatible `::808:808`, a different (and not public) address.
  const canonical = family === 6 ? new URL(`http://[${a.split('%')[0]}]/`).hostname.slice(1, -1) : a;
  if (!ipaddr.isValid(canonical)) return false;
  const kind = classify(ipaddr.parse(canonical));
  return kind === 'public' || (kind === 'loopback' && policy.allowLoopback);
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
 * address used. `resolve` is the system resolver (a test passes answers a public name could get).
 */
export function guardedLookup(policy: UrlPolicy, resolve: typeof dnsLookup = dnsLookup) {
  return (hostname: string, options: { family?: number | string; all?: boolean }, callback: LookupCallback): void => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : typeof options.family === 'number' ? options.family : 0;
    resolve(hostname, { all: true, family }, (err, addresses) => {
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
