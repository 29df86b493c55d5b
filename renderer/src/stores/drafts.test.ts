// Drafts: saved once typing pauses, at once when the view changes, never lost when a save fails, and
// not brought back by a late save after the message was sent. The clock is the test's own.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../../../electron/contract/index.ts';
import { installFakeMain } from '../../test/fake-main.ts';
import type { Drafts as DraftsClass } from './drafts.ts';

let Drafts: typeof DraftsClass;
let DRAFT_SAVE_MS: number;

beforeAll(async () => {
  installFakeMain(); // drafts.ts imports the bridge, which needs a window.kaiwa
  ({ Drafts, DRAFT_SAVE_MS } = await import('./drafts.ts'));
});

/** Timers that run only when the test moves the time on. */
function clock() {
  let now = 0;
  let next = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    setTimeout: (fn: () => void, ms: number) => {
      timers.set(++next, { at: now + ms, fn });
      return next;
    },
    clearTimeout: (t: unknown) => void timers.delete(t as number),
    advance(ms: number) {
      now += ms;
      for (const [id, t] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (t.at > now) continue;
        timers.delete(id);
        t.fn();
      }
    },
  };
}

function setup() {
  const saves: [string, string][] = [];
  const answers: { resolve: () => void; reject: (e: Error) => void }[] = [];
  const c = clock();
  const drafts = new Drafts({
    save: (id, text) => {
      saves.push([id, text]);
      return new Promise<void>((resolve, reject) => answers.push({ resolve, reject }));
    },
    setTimeout: c.setTimeout,
    clearTimeout: c.clearTimeout,
  });
  return { drafts, saves, answers, clock: c };
}

const conv = (id: string, draft: string) => ({ id, draft }) as Conversation;
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('drafts', () => {
  it('saves the last text once, when typing has paused, not on every key', () => {
    const { drafts, saves, clock } = setup();
    drafts.typed('c1', 'H');
    clock.advance(DRAFT_SAVE_MS - 100);
    drafts.typed('c1', 'Hi');
    clock.advance(DRAFT_SAVE_MS - 100);
    drafts.typed('c1', 'Hi!');
    clock.advance(DRAFT_SAVE_MS - 1);
    expect(saves).toEqual([]);
    clock.advance(1);
    expect(saves).toEqual([['c1', 'Hi!']]);
    clock.advance(10 * DRAFT_SAVE_MS);
    expect(saves).toHaveLength(1);
  });

  it('saves at once when the view changes, and not again when the pause would have ended', () => {
    const { drafts, saves, clock } = setup();
    drafts.typed('c1', 'leaving');
    drafts.flush();
    expect(saves).toEqual([['c1', 'leaving']]);
    clock.advance(10 * DRAFT_SAVE_MS);
    expect(saves).toHaveLength(1);
  });

  it('shows the typed text instead of the stored draft until main has it, and keeps it when the save fails', async () => {
    const { drafts, answers } = setup();
    expect(drafts.of(conv('c1', 'stored'))).toBe('stored');
    expect(drafts.of(null)).toBe('');
    drafts.typed('c1', 'typed');
    expect(drafts.of(conv('c1', 'stored'))).toBe('typed');
    drafts.flush();
    answers[0]!.reject(new Error('disk full'));
    await tick();
    expect(drafts.of(conv('c1', 'stored'))).toBe('typed');
    drafts.typed('c1', 'typed again');
    drafts.flush();
    answers[1]!.resolve();
    await tick();
    // Saved: the conversation's own draft is what counts again.
    expect(drafts.of(conv('c1', 'typed again'))).toBe('typed again');
    expect(drafts.of(conv('c1', 'stored'))).toBe('stored');
  });

  it('text typed while a save is on its way is not forgotten when that save lands', async () => {
    const { drafts, answers } = setup();
    drafts.typed('c1', 'a');
    drafts.flush();
    drafts.typed('c1', 'ab');
    answers[0]!.resolve();
    await tick();
    expect(drafts.of(conv('c1', 'a'))).toBe('ab');
  });

  it('sending drops the waiting save of that conversation only, and the sent text is no longer a draft', () => {
    const { drafts, saves, clock } = setup();
    drafts.typed('c2', 'other');
    drafts.flush();
    drafts.typed('c1', 'hello');
    drafts.sending('c2');
    drafts.sending('c1');
    clock.advance(10 * DRAFT_SAVE_MS);
    drafts.flush();
    expect(saves).toEqual([['c2', 'other']]);
    drafts.sent('c1');
    expect(drafts.of(conv('c1', ''))).toBe('');
  });
});
