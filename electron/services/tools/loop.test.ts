// The tool loop end to end: real services from createKaiwa, configured through dispatch as the
// renderer does, real HTTP to the fake upstream (scripted round by round) and to a local page server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeUpstream } from '../../../test/fake-upstream/server.ts';
import { streamOf, type StreamScenario } from '../../../test/fake-upstream/scenarios.ts';
import type { ChatParams, ToolSettings } from '../../contract/index.ts';
import { startTestKaiwa, waitFor, type TestKaiwa } from '../../../test/kaiwa.ts';
import { watchEventLoop } from '../../../test/tools/event-loop.ts';
import { OLD_MAX_BITS, SLOW_EXPRESSION } from '../../../test/tools/slow-inputs.ts';

const MODEL = 'Qwen/Qwen3-235B-A22B-Instruct-2507'; // a ModelScope preset: its metadata lists tool use
const KEY = 'ms-test-key-0001-abcdef';

type Msg = { role: string; content: string; tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[]; tool_call_id?: string };
type Body = { messages: Msg[]; tools?: { type: string; function: { name: string; parameters: unknown } }[] };

let fake: FakeUpstream;
let pages: Server;
let pageBase: string;
const pageSockets = new Set<Socket>();
let k: TestKaiwa;

async function conversation(tools: ToolSettings | undefined, model = MODEL, extra: ChatParams = {}) {
  const conv = await k.call('conversations.create', { model: { providerId: 'modelscope', modelId: model } });
  await k.call('conversations.update', { id: conv.id, params: { ...extra, ...(tools ? { tools } : {}) } });
  return conv;
}

const bodies = () => fake.chatRequests().map((r) => r.body as Body);

/** A round in which the model asks for one tool. */
const wants = (id: string, name: string, args: string[], extra: Partial<StreamScenario> = {}): StreamScenario => ({ kind: 'stream', toolCalls: [{ id, name, args }], ...extra });

const TIME_AND_CALC: ToolSettings = { enabled: ['get_current_time', 'calculate'], timeZone: 'Asia/Tokyo' };

beforeEach(async () => {
  fake = await FakeUpstream.start();
  pages = createServer((req, res) => {
    if (req.url === '/article') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<html><head><title>Article</title><script>steal()</script><style>p{}</style></head><body><h1>Kaiwa news</h1><p>Tools &amp; rounds work.</p></body></html>');
    }
    if (req.url === '/moved') {
      // The same server under another host name: a redirect to another site.
      res.writeHead(302, { Location: `${pageBase.replace('127.0.0.1', 'localhost')}/article` });
      res.end();
    }
    // Anything else: never answers (a tool that times out).
  });
  pages.on('connection', (s) => {
    pageSockets.add(s);
    s.on('close', () => pageSockets.delete(s));
  });
  await new Promise<void>((r) => pages.listen(0, '127.0.0.1', () => r()));
  pageBase = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
  k = startTestKaiwa({ tools: { fetch: { allowLoopback: true, timeoutMs: 400 }, confirmTimeoutMs: 5_000 } });
  await k.useProvider('modelscope', { baseUrl: fake.baseUrl, keys: KEY });
});

afterEach(async () => {
  await k.close();
  await fake.close();
  for (const s of pageSockets) s.destroy();
  await new Promise<void>((r) => pages.close(() => r()));
});

describe('tool rounds', () => {
  it('time, then calculator, then the answer: each request carries the tools and the exchange so far', async () => {
    const conv = await conversation(TIME_AND_CALC);
    fake.enqueue(
      wants('call_time', 'get_current_time', [''], { content: ['Let me check the time.'], usage: { prompt: 20, completion: 5 } }),
      wants('call_calc', 'calculate', ['{"expression":', ' "(0.1 + 0.2) * 3"}'], { usage: { prompt: 40, completion: 6 } }),
      streamOf('It is morning in Tokyo, and the result is 0.9.', { usage: { prompt: 60, completion: 12 } }),
    );
    const { message, sent } = await k.send(conv.id, 'What time is it, and what is (0.1+0.2)*3?');

    expect(message.status).toBe('done');
    expect(message.content).toBe('It is morning in Tokyo, and the result is 0.9.');
    expect(message.roundTexts).toEqual(['Let me check the time.', '']);
    const [time, calc] = message.toolCalls!;
    expect(time).toMatchObject({ id: 'call_time', name: 'get_current_time', round: 0, state: 'done' });
    expect(JSON.parse(time!.result!)).toMatchObject({ timeZone: 'Asia/Tokyo', utcOffset: '+09:00' });
    expect(calc).toMatchObject({ id: 'call_calc', name: 'calculate', round: 1, state: 'done', arguments: '{"expression": "(0.1 + 0.2) * 3"}' });
    expect(JSON.parse(calc!.result!)).toEqual({ expression: '(0.1 + 0.2) * 3', result: '0.9', exact: true });
    expect(time!.durationMs).toBeGreaterThanOrEqual(0);
    // Usage and cost of all rounds, summed.
    expect(message.usage).toEqual({ promptTokens: 120, completionTokens: 23 });

    const [b1, b2, b3] = bodies();
    expect(bodies()).toHaveLength(3);
    for (const b of [b1!, b2!, b3!]) {
      expect(b.tools!.map((t) => t.function.name)).toEqual(['get_current_time', 'calculate']);
      expect(b.tools![1]!.function.parameters).toMatchObject({ type: 'object', required: ['expression'] });
    }
    expect(b1!.messages).toEqual([{ role: 'user', content: 'What time is it, and what is (0.1+0.2)*3?' }]);
    const round1 = [
      { role: 'assistant', content: 'Let me check the time.', tool_calls: [{ id: 'call_time', type: 'function', function: { name: 'get_current_time', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_time', content: time!.result },
    ];
    expect(b2!.messages).toEqual([b1!.messages[0], ...round1]);
    expect(b3!.messages).toEqual([
      b1!.messages[0],
      ...round1,
      { role: 'assistant', content: '', tool_calls: [{ id: 'call_calc', type: 'function', function: { name: 'calculate', arguments: '{"expression": "(0.1 + 0.2) * 3"}' } }] },
      { role: 'tool', tool_call_id: 'call_calc', content: calc!.result },
    ]);

    // The renderer saw the rounds as they happened, and each round is one recorded call.
    const snaps = k.of('stream.tools').filter((s) => s.streamId === sent.streamId);
    expect(snaps.map((s) => s.roundTexts.length)).toContain(1);
    expect(snaps.at(-1)!.toolCalls.map((c) => c.state)).toEqual(['done', 'done']);
    const recorded = k.kaiwa.services.history.db.prepare('SELECT input_tokens, output_tokens FROM calls WHERE message_id = ? ORDER BY ts').all(message.id);
    expect(recorded).toEqual([
      { input_tokens: 20, output_tokens: 5 },
      { input_tokens: 40, output_tokens: 6 },
      { input_tokens: 60, output_tokens: 12 },
    ]);
  });

  it('a later turn replays the stored tool exchange; the stored message survives a reopen', async () => {
    const conv = await conversation(TIME_AND_CALC);
    fake.enqueue(wants('call_1', 'calculate', ['{"expression":"6*7"}']), streamOf('42.'), streamOf('You are welcome.'));
    await k.send(conv.id, 'six times seven?');
    const opened = await k.call('conversations.open', { id: conv.id });
    const stored = opened.messages[1]!;
    expect(stored.roundTexts).toEqual(['']);
    expect(stored.toolCalls![0]).toMatchObject({ id: 'call_1', round: 0, state: 'done', result: '{"expression":"6*7","result":"42","exact":true}' });

    await k.send(conv.id, 'thanks');
    expect(bodies()[2]!.messages).toEqual([
      { role: 'user', content: 'six times seven?' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'calculate', arguments: '{"expression":"6*7"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"expression":"6*7","result":"42","exact":true}' },
      { role: 'assistant', content: '42.' },
      { role: 'user', content: 'thanks' },
    ]);
  });

  it('malformed arguments, an unknown tool and a tool that is off go back to the model as errors', async () => {
    const conv = await conversation({ enabled: ['calculate'] });
    fake.enqueue(
      { kind: 'stream', toolCalls: [
        { id: 'call_bad', name: 'calculate', args: ['{"expression": "1+'] },
        { id: 'call_unknown', name: 'get_weather', args: ['{"city":"Tokyo"}'] },
        { id: 'call_off', name: 'fetch_url', args: ['{"url":"https://example.com/"}'] },
      ] },
      streamOf('Sorry, let me answer without tools.'),
    );
    const { message } = await k.send(conv.id, 'go');
    expect(message.status).toBe('done');
    const [bad, unknown, off] = message.toolCalls!;
    expect(bad).toMatchObject({ state: 'error', error: { code: 'bad_arguments' } });
    expect(unknown).toMatchObject({ state: 'error', error: { code: 'unknown_tool' } });
    expect(off).toMatchObject({ state: 'error', error: { code: 'unknown_tool' } });
    expect(unknown!.error!.message).toMatch(/no tool named "get_weather".*Available tools: calculate/);
    const sentBack = bodies()[1]!.messages;
    const results = sentBack.filter((m) => m.role === 'tool');
    expect(results.map((m) => m.tool_call_id)).toEqual(['call_bad', 'call_unknown', 'call_off']);
    for (const r of results) expect(Object.keys(JSON.parse(r.content))).toEqual(['error']);
    expect(JSON.parse(results[0]!.content).error).toMatch(/not a valid JSON object.*Received: \{"expression": "1\+/);
    // Invalid JSON is not replayed as arguments (providers may reject the whole request for it).
    expect(sentBack[1]!.tool_calls![0]!.function.arguments).toBe('{}');
    // The conversation goes on.
    fake.enqueue(streamOf('Next answer.'));
    expect((await k.send(conv.id, 'and now?')).message.status).toBe('done');
  });

  it('stops at the round limit with a clear error; the calls of the last round are not run', async () => {
    const conv = await conversation({ enabled: ['calculate'], maxRounds: 2 });
    fake.enqueue(wants('c1', 'calculate', ['{"expression":"1+1"}']), wants('c2', 'calculate', ['{"expression":"2+2"}']), streamOf('never asked for'));
    const { message } = await k.send(conv.id, 'loop');
    expect(bodies()).toHaveLength(2);
    expect(message.status).toBe('error');
    expect(message.error).toMatchObject({ code: 'tool_round_limit', params: { rounds: 2 } });
    expect(message.toolCalls!.map((c) => [c.id, c.state, c.error?.code])).toEqual([
      ['c1', 'done', undefined],
      ['c2', 'error', 'round_limit'],
    ]);
    expect(message.roundTexts).toEqual(['']);
  });

  it('runs calls the model sends with finish_reason "stop" too (some servers do)', async () => {
    const conv = await conversation({ enabled: ['calculate'] });
    fake.enqueue(wants('c1', 'calculate', ['{"expression":"2^10"}'], { finishReason: 'stop' }), streamOf('1024'));
    const { message } = await k.send(conv.id, 'two to the tenth');
    expect(message.toolCalls![0]!.state).toBe('done');
    expect(message.content).toBe('1024');
  });
});

describe('which requests carry tools', () => {
  it('auto: only models whose metadata lists tool use; "always" and "never" override it', async () => {
    fake.enqueue(streamOf('a'), streamOf('b'), streamOf('c'), streamOf('d'));
    await k.send((await conversation({ enabled: ['calculate'] })).id, 'preset model');
    await k.send((await conversation({ enabled: ['calculate'] }, 'my-local-model')).id, 'unknown model');
    await k.send((await conversation({ enabled: ['calculate'], send: 'always' }, 'my-local-model')).id, 'forced');
    await k.send((await conversation({ enabled: ['calculate'], send: 'never' })).id, 'off');
    expect(bodies().map((b) => b.tools?.map((t) => t.function.name) ?? null)).toEqual([['calculate'], null, ['calculate'], null]);
  });

  it('with no tool turned on, a tool call is only shown (not run) and the answer ends', async () => {
    const conv = await conversation(undefined);
    fake.enqueue(wants('c1', 'get_weather', ['{"city":"Tokyo"}'], { content: ['Let me check.'] }));
    const { message } = await k.send(conv.id, 'weather?');
    expect(bodies()).toHaveLength(1);
    expect(bodies()[0]!.tools).toBeUndefined();
    expect(message.status).toBe('done');
    expect(message.content).toBe('Let me check.');
    expect(message.toolCalls).toEqual([{ index: 0, id: 'c1', name: 'get_weather', arguments: '{"city":"Tokyo"}' }]);
  });
});

describe('fetch_url and its confirmation', () => {
  const FETCH: ToolSettings = { enabled: ['fetch_url'] };

  it('Allow: the page is fetched and its text (not its HTML) reaches the model', async () => {
    const conv = await conversation(FETCH);
    fake.enqueue(wants('f1', 'fetch_url', [`{"url":"${pageBase}/article"}`]), streamOf('The article says tools work.'));
    const sent = await k.call('chat.send', { conversationId: conv.id, text: 'read it' });
    const req = await waitFor(() => k.of('tools.confirmRequest')[0], 'a confirmation request');
    expect(req).toMatchObject({ tool: 'fetch_url', url: `${pageBase}/article`, messageId: sent.assistantMessage.id, conversationId: conv.id });
    expect(await k.call('tools.pending', {})).toHaveLength(1);
    expect(await k.call('tools.confirm', { requestId: req.requestId, allow: true })).toEqual({ ok: true, accepted: true });
    const { message } = await k.waitForEnd(sent.streamId);
    expect(message.status).toBe('done');
    const result = JSON.parse(message.toolCalls![0]!.result!);
    expect(result).toMatchObject({ status: 200, title: 'Article', text: 'Kaiwa news\nTools & rounds work.' });
    const toolMsg = bodies()[1]!.messages.find((m) => m.role === 'tool')!;
    expect(toolMsg.content).toContain('Kaiwa news\\nTools & rounds work.');
    expect(toolMsg.content).not.toMatch(/<h1>|steal|<script/);
    expect(k.of('tools.confirmSettled')).toEqual([{ requestId: req.requestId, outcome: 'allowed' }]);
    // A second answer to the same request is too late and changes nothing.
    expect(await k.call('tools.confirm', { requestId: req.requestId, allow: false })).toEqual({ ok: true, accepted: false });
  });

  it('Deny: nothing is fetched and the model is told the user refused', async () => {
    const conv = await conversation(FETCH);
    let fetched = 0;
    pages.on('request', () => fetched++);
    fake.enqueue(wants('f1', 'fetch_url', [`{"url":"${pageBase}/article"}`]), streamOf('OK, I will not read it.'));
    const sent = await k.call('chat.send', { conversationId: conv.id, text: 'read it' });
    const req = await waitFor(() => k.of('tools.confirmRequest')[0], 'a confirmation request');
    await k.call('tools.confirm', { requestId: req.requestId, allow: false });
    const { message } = await k.waitForEnd(sent.streamId);
    expect(message.toolCalls![0]).toMatchObject({ state: 'error', error: { code: 'denied' } });
    expect(JSON.parse(bodies()[1]!.messages.find((m) => m.role === 'tool')!.content).error).toMatch(/did not allow/);
    expect(fetched).toBe(0);
  });

  it('a page that never answers times out as a tool error; the next message works', async () => {
    const conv = await conversation(FETCH);
    fake.enqueue(wants('f1', 'fetch_url', [`{"url":"${pageBase}/hang"}`]), streamOf('The page did not load.'));
    const sent = await k.call('chat.send', { conversationId: conv.id, text: 'read the slow page' });
    const req = await waitFor(() => k.of('tools.confirmRequest')[0], 'a confirmation request');
    await k.call('tools.confirm', { requestId: req.requestId, allow: true });
    const { message } = await k.waitForEnd(sent.streamId);
    expect(message.status).toBe('done');
    expect(message.toolCalls![0]).toMatchObject({ state: 'error', error: { code: 'timeout' } });
    fake.enqueue(streamOf('Still here.'));
    expect((await k.send(conv.id, 'hello?')).message.content).toBe('Still here.');
  });

  it('a confirmation nobody answers counts as "no" after its time limit', async () => {
    await k.restart({ tools: { fetch: { allowLoopback: true }, confirmTimeoutMs: 200 } });
    const conv = await conversation(FETCH);
    fake.enqueue(wants('f1', 'fetch_url', [`{"url":"${pageBase}/article"}`]), streamOf('Nobody answered.'));
    const { message } = await k.send(conv.id, 'read it');
    expect(message.toolCalls![0]).toMatchObject({ error: { code: 'confirm_timeout' } });
    expect(k.of('tools.confirmSettled').map((s) => s.outcome)).toEqual(['timeout']);
  });

  it('Stop while the confirmation waits: stopped, the dialog is told, no further request', async () => {
    const conv = await conversation(FETCH);
    fake.enqueue(wants('f1', 'fetch_url', [`{"url":"${pageBase}/article"}`], { usage: { prompt: 9, completion: 3 } }), streamOf('must not be requested'));
    const sent = await k.call('chat.send', { conversationId: conv.id, text: 'read it' });
    await waitFor(() => k.of('tools.confirmRequest')[0], 'a confirmation request');
    await k.call('chat.stop', { streamId: sent.streamId });
    const { message } = await k.waitForEnd(sent.streamId);
    expect(message.status).toBe('stopped');
    expect(message.toolCalls![0]).toMatchObject({ state: 'error', error: { code: 'cancelled' } });
    expect(message.usage).toEqual({ promptTokens: 9, completionTokens: 3 });
    expect(k.of('tools.confirmSettled').map((s) => s.outcome)).toEqual(['stopped']);
    expect(await k.call('tools.pending', {})).toEqual([]);
    await new Promise((r) => setTimeout(r, 100));
    expect(bodies()).toHaveLength(1);
  });

  it('Stop while a tool runs: the fetch is cancelled at once, no further request', async () => {
    await k.restart({ tools: { fetch: { allowLoopback: true, timeoutMs: 10_000 } } });
    const conv = await conversation(FETCH);
    fake.enqueue(wants('f1', 'fetch_url', [`{"url":"${pageBase}/hang"}`]));
    const sent = await k.call('chat.send', { conversationId: conv.id, text: 'read the slow page' });
    const req = await waitFor(() => k.of('tools.confirmRequest')[0], 'a confirmation request');
    await k.call('tools.confirm', { requestId: req.requestId, allow: true });
    await waitFor(() => k.of('stream.tools').find((s) => s.toolCalls[0]?.state === 'running'), 'the call running');
    const stoppedAt = Date.now();
    await k.call('chat.stop', { streamId: sent.streamId });
    const { message } = await k.waitForEnd(sent.streamId);
    expect(Date.now() - stoppedAt).toBeLessThan(2000);
    expect(message.status).toBe('stopped');
    expect(message.toolCalls![0]).toMatchObject({ state: 'error', error: { code: 'cancelled' } });
    await new Promise((r) => setTimeout(r, 100));
    expect(bodies()).toHaveLength(1);
  });

  it('a blocked URL is refused without asking the user', async () => {
    const conv = await conversation(FETCH);
    fake.enqueue(wants('f1', 'fetch_url', ['{"url":"http://192.168.1.1/admin"}']), streamOf('Cannot read local pages.'));
    const { message } = await k.send(conv.id, 'read my router');
    expect(message.toolCalls![0]).toMatchObject({ error: { code: 'blocked_url' } });
    expect(k.of('tools.confirmRequest')).toEqual([]);
  });

  it('a redirect to another host asks again, naming it; No stops there', async () => {
    const conv = await conversation(FETCH);
    const requested: string[] = [];
    pages.on('request', (r: { url?: string; headers: { host?: string } }) => requested.push(`${r.headers.host}${r.url}`));
    const elsewhere = `${pageBase.replace('127.0.0.1', 'localhost')}/article`;
    fake.enqueue(wants('f1', 'fetch_url', [`{"url":"${pageBase}/moved"}`]), streamOf('It moved elsewhere.'));
    const sent = await k.call('chat.send', { conversationId: conv.id, text: 'read it' });
    const first = await waitFor(() => k.of('tools.confirmRequest')[0], 'a confirmation request');
    await k.call('tools.confirm', { requestId: first.requestId, allow: true });
    const second = await waitFor(() => k.of('tools.confirmRequest')[1], 'a confirmation for the redirect');
    // The call shows that it waits for the user again.
    expect(k.of('stream.tools').at(-1)!.toolCalls[0]!.state).toBe('confirming');
    expect(second).toMatchObject({ tool: 'fetch_url', url: elsewhere, redirectedFrom: `${pageBase}/moved`, messageId: sent.assistantMessage.id });
    await k.call('tools.confirm', { requestId: second.requestId, allow: false });
    const { message } = await k.waitForEnd(sent.streamId);
    expect(message.toolCalls![0]).toMatchObject({ state: 'error', error: { code: 'denied', message: expect.stringMatching(/redirect from 127\.0\.0\.1:\d+ to localhost:\d+/) } });
    expect(requested).toEqual([`${new URL(pageBase).host}/moved`]);
  });

  it('a redirect to another host, allowed: the page there is read', async () => {
    const conv = await conversation(FETCH);
    fake.enqueue(wants('f1', 'fetch_url', [`{"url":"${pageBase}/moved"}`]), streamOf('Read it.'));
    const sent = await k.call('chat.send', { conversationId: conv.id, text: 'read it' });
    for (let i = 0; i < 2; i++) {
      const req = await waitFor(() => k.of('tools.confirmRequest')[i], `confirmation ${i + 1}`);
      await k.call('tools.confirm', { requestId: req.requestId, allow: true });
    }
    const { message } = await k.waitForEnd(sent.streamId);
    expect(JSON.parse(message.toolCalls![0]!.result!)).toMatchObject({ url: `${pageBase.replace('127.0.0.1', 'localhost')}/article`, title: 'Article' });
  });
});

describe('tools never hold up the app', () => {
  it('other calls are answered at once while the calculator works on a huge expression', async () => {
    // The old size limit keeps the expression slow (15 s of arithmetic); the worker's deadline ends it.
    await k.restart({ tools: { compute: { deadlineMs: 1_500, calc: { maxBits: OLD_MAX_BITS } } } });
    const conv = await conversation({ enabled: ['calculate'] });
    fake.enqueue(wants('c1', 'calculate', [JSON.stringify({ expression: SLOW_EXPRESSION })]), streamOf('That number is too large.'));
    const loop = watchEventLoop();
    const sent = await k.call('chat.send', { conversationId: conv.id, text: 'compute this' });
    await waitFor(() => k.of('stream.tools').find((s) => s.toolCalls[0]?.state === 'running'), 'the calculator running');
    const asked = performance.now();
    expect((await k.call('app.info', {})).name).toBe('Kaiwa');
    expect(performance.now() - asked).toBeLessThan(200);
    const { message } = await k.waitForEnd(sent.streamId);
    expect(loop.stop()).toBeLessThan(250);
    expect(message.status).toBe('done');
    expect(message.toolCalls![0]).toMatchObject({ state: 'error', error: { code: 'too_large', message: expect.stringMatching(/stopped after 1\.5 s: it is too large/) } });
    expect(message.toolCalls![0]!.durationMs).toBeLessThan(5_000);
  });
});
