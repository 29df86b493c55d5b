// The upstream client's own guards, with a fetch that records what would have gone out.
import { describe, expect, it } from 'vitest';
import { UpstreamError, Upstream, type FetchLike, type Target } from './upstream.ts';

const target = (baseUrl: string): Target => ({
  providerId: 'custom-1',
  kind: 'custom',
  name: 'Local',
  baseUrl,
  apiKey: 'sk-test-0000000000000000',
  keyId: 'k1',
  keyOrigin: new URL(baseUrl).origin,
  headers: {},
  secretHeaders: [],
  timeoutMs: 2000,
});

describe('Upstream: names under .invalid (RFC 6761)', () => {
  it('fails locally with a DNS failure: no request, no DNS query leaves the machine', async () => {
    const seen: string[] = [];
    const recording: FetchLike = async (input) => {
      seen.push(String(input instanceof Request ? input.url : input));
      return new Response('{}', { status: 200 });
    };
    const up = new Upstream(recording);
    for (const base of ['http://kaiwa-test.invalid/v1', 'https://a.b.INVALID./v1', 'http://invalid:8080/v1']) {
      const err = await up.openChatStream(target(base), { model: 'm', messages: [] }, new AbortController().signal).catch((e: unknown) => e);
      expect(err, base).toBeInstanceOf(UpstreamError);
      expect((err as UpstreamError).mapped).toMatchObject({ code: 'dns_failure', actions: ['retry', 'open_settings'] });
      const listed = await up.listModels(target(base), new AbortController().signal).catch((e: unknown) => e);
      expect((listed as UpstreamError).mapped.code).toBe('dns_failure');
    }
    expect(seen).toEqual([]);
  });

  it('lets other names through (the guard is not a blanket refusal)', async () => {
    const seen: string[] = [];
    const up = new Upstream(async (input) => {
      seen.push(String(input instanceof Request ? input.url : input));
      return new Response(JSON.stringify({ object: 'list', data: [{ id: 'm1' }] }), { status: 200, headers: { 'content-type': 'application/json' } });
    });
    const r = await up.listModels(target('http://invalid-name.example.test/v1'), new AbortController().signal);
    expect(r.ids).toEqual(['m1']);
    expect(seen).toEqual(['http://invalid-name.example.test/v1/models']);
  });
});
