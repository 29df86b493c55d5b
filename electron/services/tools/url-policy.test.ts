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
});
