import type { lookup, LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { ToolError } from './errors.ts';
import { addressAllowed, checkUrl, guardedLookup } from './url-policy.ts';

const strict = { allowLoopback: false };
const loopbackOk = { allowLoopback: true };

function blocked(url: unknown, policy = strict): string {
  try {
    checkUrl(url, policy);
  } catch (err) {
    expect(err).toBeInstanceOf(ToolError);
    expect(['blocked_url', 'bad_arguments']).toContain((err as ToolError).code);
    return (err as ToolError).message;
  }
  throw new Error(`expected ${String(url)} to be refused`);
}

describe('checkUrl: schemes and shapes', () => {
  it('accepts public http and https URLs', () => {
    expect(checkUrl('https://example.com/a?b=c#d', strict).href).toBe('https://example.com/a?b=c#d');
    expect(checkUrl('http://93.184.216.34:8080/', strict).host).toBe('93.184.216.34:8080');
    expect(checkUrl('https://[2606:4700::1111]/', strict).hostname).toBe('[2606:4700::1111]');
  });

  it('refuses other schemes, credentials, junk and overlong URLs', () => {
    expect(blocked('file:///etc/passwd')).toMatch(/Only http and https/);
    blocked('ftp://example.com/');
    blocked('javascript:alert(1)');
    blocked('data:text/html,<script>1</script>');
    expect(blocked('https://user:pass@example.com/')).toMatch(/user name or password/);
    blocked('not a url');
    blocked('');
    blocked(42);
    blocked(`https://example.com/${'a'.repeat(2100)}`);
  });
});

describe('checkUrl: local and private addresses', () => {
  it('refuses loopback, private, link-local and metadata addresses by default', () => {
    for (const u of [
      'http://127.0.0.1/',
      'http://127.1.2.3:8080/',
      'http://localhost:3000/',
      'http://api.localhost/',
      'http://10.0.0.1/',
      'http://172.16.5.4/',
      'http://192.168.1.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://100.64.0.1/',
      'http://0.0.0.0/',
      'http://[::1]/',
      'http://[fd00::1]/',
      'http://[fe80::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:c0a8:101]/',
      'http://[64:ff9b::a00:1]/',
      'http://[2002:a00:1::]/',
      'http://router/',
      'http://2130706433/', // 127.0.0.1 as one number: WHATWG URL turns it into 127.0.0.1
      'http://0x7f.1/',
    ]) {
      expect(() => checkUrl(u, strict), u).toThrow(ToolError);
    }
  });

  it('the test switch lets loopback through, and only loopback', () => {
    expect(checkUrl('http://127.0.0.1:4000/page', loopbackOk).port).toBe('4000');
    expect(checkUrl('http://[::1]/', loopbackOk).hostname).toBe('[::1]');
    expect(checkUrl('http://localhost/', loopbackOk).hostname).toBe('localhost');
    for (const u of ['http://10.0.0.1/', 'http://192.168.0.10/', 'http://169.254.169.254/']) expect(() => checkUrl(u, loopbackOk), u).toThrow(ToolError);
  });
});

describe('addressAllowed', () => {
  it('knows public from non-public addresses, IPv4-in-IPv6 included', () => {
    expect(addressAllowed('8.8.8.8', strict)).toBe(true);
    expect(addressAllowed('2606:4700::1111', strict)).toBe(true);
    expect(addressAllowed('::ffff:8.8.8.8', strict)).toBe(true);
    expect(addressAllowed('64:ff9b::808:808', strict)).toBe(true);
    expect(addressAllowed('172.32.0.1', strict)).toBe(true);
    expect(addressAllowed('172.31.255.255', strict)).toBe(false);
    expect(addressAllowed('::ffff:10.1.2.3', strict)).toBe(false);
    expect(addressAllowed('224.0.0.1', strict)).toBe(false);
    expect(addressAllowed('255.255.255.255', strict)).toBe(false);
    expect(addressAllowed('ff02::1', strict)).toBe(false);
    expect(addressAllowed('not-an-ip', strict)).toBe(false);
  });
});

describe('addressAllowed: the whole table', () => {
  // Every form an address can take that reaches the machine itself, its network or no one at all.
  const notPublic: [string, string][] = [
    ['127.0.0.1', 'IPv4 loopback'],
    ['::1', 'IPv6 loopback'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex'],
    ['::ffff:0:7f00:1', 'IPv4-translated loopback (SIIT)'],
    ['::ffff:0:a9fe:a9fe', 'IPv4-translated metadata'],
    ['::7f00:1', 'IPv4-compatible loopback'],
    ['::127.0.0.1', 'IPv4-compatible loopback, dotted'],
    ['::a9fe:a9fe', 'IPv4-compatible cloud metadata (169.254.169.254)'],
    ['::a00:1', 'IPv4-compatible 10.0.0.1'],
    ['::8.8.8.8', 'IPv4-compatible of a public address (deprecated form, never routed)'],
    ['64:ff9b::7f00:1', 'NAT64 of loopback'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 of metadata'],
    ['64:ff9b:1::7f00:1', 'local-use NAT64 (RFC 8215)'],
    ['64:ff9b:1::808:808', 'local-use NAT64 of a public address'],
    ['2002:7f00:1::', '6to4 of loopback'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local with a zone'],
    ['fd12:3456::1', 'unique local'],
    ['fc00::1', 'unique local'],
    ['fec0::1', 'site-local (deprecated)'],
    ['ff02::1', 'multicast'],
    ['ff0e::1', 'global multicast'],
    ['::', 'unspecified'],
    ['0.0.0.0', 'unspecified IPv4'],
    ['100::1', 'discard'],
    ['2001:db8::1', 'documentation'],
    ['5f00::1', 'segment routing'],
    ['::1:2:3:4', 'outside global unicast (::/8)'],
    ['4000::1', 'outside global unicast (not 2000::/3)'],
    ['169.254.169.254', 'link-local / metadata'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.0.1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['192.0.0.8', 'IETF protocol assignments'],
    ['198.18.0.1', 'benchmarking'],
    ['192.0.2.1', 'documentation'],
    ['224.0.0.251', 'multicast'],
    ['239.255.255.250', 'multicast (SSDP)'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
  ];
  const isPublic = ['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700::1111', '2001:4860:4860::8888', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'];

  it.each(notPublic)('refuses %s (%s)', (address) => {
    expect(addressAllowed(address, strict)).toBe(false);
  });

  it.each(isPublic)('allows the public address %s', (address) => {
    expect(addressAllowed(address, strict)).toBe(true);
  });

  it('refuses the same forms as URL hosts, before anyone is asked', () => {
    for (const host of ['[::ffff:0:7f00:1]', '[::7f00:1]', '[::a9fe:a9fe]', '[64:ff9b:1::7f00:1]', '[::ffff:7f00:1]', '[fe80::1]', '[ff02::1]', '[::]']) {
      expect(blocked(`http://${host}/`), host).toMatch(/local or private address/);
    }
  });

  it('the loopback test switch lets only plain loopback through, not its disguises', () => {
    for (const a of ['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1']) expect(addressAllowed(a, loopbackOk), a).toBe(true);
    for (const a of ['::7f00:1', '64:ff9b:1::7f00:1', '2002:7f00:1::', '10.0.0.1', '169.254.169.254', 'fe80::1']) expect(addressAllowed(a, loopbackOk), a).toBe(false);
  });
});

describe('guardedLookup', () => {
  const resolve = (host: string, policy = strict) =>
    new Promise<{ err: NodeJS.ErrnoException | null; address: unknown }>((done) =>
      guardedLookup(policy)(host, {}, (err, address) => done({ err, address })),
    );

  it('refuses a name that resolves to a local address (what a DNS rebinding attack relies on)', async () => {
    const r = await resolve('localhost');
    expect(r.err?.code).toBe('KAIWA_BLOCKED_ADDRESS');
    expect(r.err?.message).toMatch(/local or private address/);
  });

  it('lets it through with the loopback test switch, returning the checked address', async () => {
    const r = await resolve('localhost', loopbackOk);
    expect(r.err).toBeNull();
    expect(['127.0.0.1', '::1']).toContain(r.address);
  });

  it('refuses a public-looking name when any address it resolves to is a disguised local one', async () => {
    // A resolver that answers like a hostile DNS server would: the only way to get these answers
    // for a public name without a network. The real resolver is exercised by the tests above.
    for (const bad of ['::ffff:0:7f00:1', '::7f00:1', '::a9fe:a9fe', '64:ff9b:1::7f00:1', 'fd00::1']) {
      const hostile = ((_h: string, _o: unknown, cb: (e: null, a: LookupAddress[]) => void) => cb(null, [{ address: '93.184.216.34', family: 4 }, { address: bad, family: 6 }])) as unknown as typeof lookup;
      const r = await new Promise<{ err: NodeJS.ErrnoException | null }>((done) => guardedLookup(strict, hostile)('example.com', { all: true }, (err) => done({ err })));
      expect(r.err?.code, bad).toBe('KAIWA_BLOCKED_ADDRESS');
      expect(r.err?.message).toContain(bad);
    }
  });
});
