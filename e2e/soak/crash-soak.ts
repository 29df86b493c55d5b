// Crash soak: SIGKILL the browser-mode host at random moments while an answer streams (and, every
// third time, while settings are being saved), restart it on the same data directory and check
// what a user would find:
//   - the app starts: the database opens and the settings file reads (no damage notice);
//   - no question the user sent is missing, in any conversation;
//   - the answer that was streaming is marked interrupted and holds all but about one second of
//     what the provider had sent (compared with the fake upstream's own write log);
//   - an acknowledged settings change is never lost, and the file is never half-written.
//
// `npm run soak` runs 50 kills and prints the figures (`-- --kills N --seed S` to change them);
// e2e/specs/crash.spec.ts runs a few in `npm test`. Nothing here needs a browser: it speaks the
// page's WebSocket protocol.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { FakeUpstream } from '../../test/fake-upstream/server.ts';
import { startHost, type HostProcess } from '../support/host.ts';
import { prng } from '../../test/prng.ts';
import { writeSummary } from '../../test/reliability.ts';
import { connectHost, type HostClient } from '../support/ws-client.ts';

/** A checkpoint every second, plus scheduling slack on a busy machine: "about a second". */
export const MAX_LOST_MS = 1500;
const DAMAGE_NOTICES = ['db_corrupt', 'db_locked', 'settings_corrupt', 'settings_invalid', 'vault_corrupt'];

export interface KillRecord {
  i: number;
  /** Also killed while saving settings. */
  duringSettingsSave: boolean;
  /** ms between the first streamed chunk and the kill. */
  killAfterMs: number;
  sentChars: number;
  keptChars: number;
  lostChars: number;
  /** Age at the kill of the oldest text that was sent but not kept (0: nothing lost). */
  lostMs: number;
  restartMs: number;
  /** Settings saves acknowledged in the race with this kill. */
  settingsSaves: number;
  problems: string[];
}

export interface SoakResult {
  seed: number;
  kills: number;
  failures: number;
  maxLostMs: number;
  maxLostChars: number;
  meanLostMs: number;
  maxRestartMs: number;
  questionsChecked: number;
  settingsSavesKilled: number;
  settingsSavesAcked: number;
  records: KillRecord[];
  durationMs: number;
}

export interface SoakOptions {
  kills: number;
  seed?: number;
  print?: (line: string) => void;
  /** Called with the last restarted host before it is stopped (the e2e spec looks at the page). */
  onFinalHost?: (host: HostProcess, last: { conversationId: string; question: string }) => Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

interface Message {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  status: string;
}

const contentOf = (data: string): string => (JSON.parse(data) as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta?.content ?? '';

export async function runCrashSoak(o: SoakOptions): Promise<SoakResult> {
  const seed = o.seed ?? Date.now() % 1_000_000;
  const rand = prng(seed);
  const print = o.print ?? (() => {});
  const t0 = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'kaiwa-soak-'));
  const fake = await FakeUpstream.start();
  const asked: { conversationId: string; question: string }[] = [];
  const records: KillRecord[] = [];
  let host: HostProcess | null = null;
  let client: HostClient | null = null;
  try {
    host = await startHost({ dataDir });
    client = await connectHost(host);
    await client.call('providers.update', { id: 'modelscope', baseUrl: fake.baseUrl });
    await client.call('providers.setKeys', { id: 'modelscope', keys: 'ms-soak-key-0000000001' });
    await client.call('settings.update', { defaultModel: { providerId: 'modelscope', modelId: 'fake-model' } });
    let lastAckedIdle = 60;

    for (let i = 0; i < o.kills; i++) {
      const problems: string[] = [];
      const duringSettingsSave = i % 3 === 2;
      fake.reset();
      // ~9 s of answer, so the kill (at most 3.5 s in) always lands mid-stream.
      const words = Array.from({ length: 450 }, (_, k) => `k${i}w${k} `);
      fake.enqueue({ kind: 'stream', content: words, delayMs: 20 });
      const conv = await client.call<{ id: string }>('conversations.create', {});
      const question = `soak question ${i} (seed ${seed})`;
      await client.call('chat.send', { conversationId: conv.id, text: question });
      asked.push({ conversationId: conv.id, question });
      await until(() => fake.sent.length > 0, 10_000, 'the first streamed chunk');
      const firstAt = fake.sent[0]!.at;

      // Settings saves in a tight loop, racing the kill: each acknowledged value must survive.
      let inFlight: number | null = null;
      let saves = 0;
      let hammering = duringSettingsSave;
      const hammer = (async () => {
        let v = 5 + (i % 7);
        while (hammering) {
          v = v >= 3000 ? 5 : v + 1;
          inFlight = v;
          const r = await client!.raw('settings.update', { idleTimeoutSec: v }, 3000);
          if (!r.ok) break;
          lastAckedIdle = v;
          inFlight = null;
          saves += 1;
        }
      })();

      await sleep(150 + rand() * 3350);
      const killAt = Date.now();
      await host.kill('SIGKILL');
      hammering = false;
      await hammer;
      client.close();
      const sent = [...fake.sent];

      const r0 = Date.now();
      host = await startHost({ dataDir });
      const restartMs = Date.now() - r0;
      client = await connectHost(host);

      const info = await client.call<{ notices: { code: string }[] }>('app.info', {});
      const damage = info.notices.filter((n) => DAMAGE_NOTICES.includes(n.code)).map((n) => n.code);
      if (damage.length) problems.push(`start reported damage: ${damage.join(', ')}`);

      // Every question ever asked is still there, under its conversation.
      for (const a of asked) {
        const open = await client.raw('conversations.open', { id: a.conversationId });
        const msgs = open.ok ? (open.value as { messages: Message[] }).messages : [];
        if (!msgs.some((m) => m.role === 'user' && m.content === a.question)) problems.push(`lost the question "${a.question}"`);
      }

      // The interrupted answer: marked, and at most ~1 s of text lost.
      const open = await client.call<{ messages: Message[] }>('conversations.open', { id: conv.id });
      const answer = open.messages.find((m) => m.role === 'assistant');
      let keptChars = 0;
      let lostChars = 0;
      let lostMs = 0;
      let sentChars = 0;
      if (!answer) problems.push('the answer record is missing');
      else {
        if (answer.status !== 'interrupted') problems.push(`answer status is ${answer.status}, not interrupted`);
        const everything = sent.map((s) => contentOf(s.data)).join('');
        if (!everything.startsWith(answer.content)) problems.push('the kept text is not what the provider sent');
        keptChars = answer.content.length;
        let offset = 0;
        for (const s of sent) {
          if (s.at > killAt) break;
          offset += contentOf(s.data).length;
          // The first chunk the database does not hold: how old was it when the host died?
          if (offset > keptChars && lostMs === 0) lostMs = Math.max(1, killAt - s.at);
        }
        sentChars = offset;
        lostChars = Math.max(0, offset - keptChars);
        if (lostMs > MAX_LOST_MS) problems.push(`lost ${lostMs} ms of text (${lostChars} characters)`);
      }

      if (duringSettingsSave) {
        const s = await client.call<{ idleTimeoutSec: number }>('settings.get', {});
        if (s.idleTimeoutSec !== lastAckedIdle && s.idleTimeoutSec !== inFlight) {
          problems.push(`settings: idle timeout ${s.idleTimeoutSec}, but ${lastAckedIdle} was acknowledged last`);
        }
        lastAckedIdle = s.idleTimeoutSec;
      }

      if (duringSettingsSave && saves === 0) problems.push('no settings save was acknowledged before the kill');
      const rec: KillRecord = { i, duringSettingsSave, killAfterMs: killAt - firstAt, sentChars, keptChars, lostChars, lostMs, restartMs, settingsSaves: saves, problems };
      records.push(rec);
      print(
        `kill ${String(i + 1).padStart(2)}/${o.kills}${duringSettingsSave ? ` (+${String(saves).padStart(3)} saves)` : '              '} at ${String(rec.killAfterMs).padStart(4)} ms: ` +
          `kept ${keptChars}/${sentChars} chars, lost ${lostChars} chars = ${lostMs} ms, restart ${restartMs} ms${problems.length ? `  ✗ ${problems.join('; ')}` : '  ✓'}`,
      );
    }

    if (o.onFinalHost && asked.length) await o.onFinalHost(host, asked.at(-1)!);
  } finally {
    client?.close();
    await host?.stop();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const lost = records.map((r) => r.lostMs);
  return {
    seed,
    kills: records.length,
    failures: records.filter((r) => r.problems.length).length,
    maxLostMs: Math.max(0, ...lost),
    maxLostChars: Math.max(0, ...records.map((r) => r.lostChars)),
    meanLostMs: lost.length ? Math.round(lost.reduce((a, b) => a + b, 0) / lost.length) : 0,
    maxRestartMs: Math.max(0, ...records.map((r) => r.restartMs)),
    questionsChecked: asked.length,
    settingsSavesKilled: records.filter((r) => r.duringSettingsSave).length,
    settingsSavesAcked: records.reduce((a, r) => a + r.settingsSaves, 0),
    records,
    durationMs: Date.now() - t0,
  };
}

export function soakTable(r: SoakResult): string {
  return [
    '| Figure | Value |',
    '|---|---|',
    `| SIGKILLs (of them during a settings save) | ${r.kills} (${r.settingsSavesKilled}) |`,
    `| Settings saves acknowledged in those races (none lost) | ${r.settingsSavesAcked} |`,
    `| Restarts with a damage notice or a lost question | ${r.failures} |`,
    `| Questions checked after every restart | ${r.questionsChecked} |`,
    `| Streamed text lost, worst | ${r.maxLostMs} ms (${r.maxLostChars} characters) |`,
    `| Streamed text lost, mean | ${r.meanLostMs} ms |`,
    `| Slowest restart | ${r.maxRestartMs} ms |`,
    `| Seed | ${r.seed} |`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { kills: { type: 'string', default: '50' }, seed: { type: 'string' } } });
  const kills = Number(values.kills);
  const result = await runCrashSoak({
    kills,
    ...(values.seed ? { seed: Number(values.seed) } : {}),
    print: (l) => process.stdout.write(`${l}\n`),
  });
  writeSummary('soak', { ...result, records: undefined });
  process.stdout.write(`\n${soakTable(result)}\n\n${result.failures ? `✗ ${result.failures} failing kill(s)` : '✓ no failure'} in ${Math.round(result.durationMs / 1000)} s\n`);
  process.exit(result.failures ? 1 : 0);
}
