// The open conversation and the messages of its shown branch. A conversation opens with its newest
// page of messages, so a long one paints as fast as a short one; the older ones are fetched once
// that page is painted and put in front of it. Only the latest open may fill the view: a slow open
// (or a late older page) of a conversation the user has left is dropped.
import type { PathUpdate } from '../../../electron/contract/index.ts';
import { call, errorInfo } from '../bridge/index.ts';
import type { GetChat, SetChat, ViewSlice } from './chat-state.ts';
import { drafts } from './drafts.ts';
import { arrived, opening, shown } from './safe-start.ts';
import { adopt, settleEarlyEnd, started } from './streams.ts';

/** How long a search hit stays highlighted. */
const FOCUS_MS = 4000;
/** Messages a conversation opens with (several screens); older ones are loaded right after. */
export const FIRST_PAGE = 60;

/** Incremented by every open, create and removal of the open conversation: see open(). */
let viewTicket = 0;

/** The view is being emptied or replaced by something other than open(): loads still running must not fill it. */
export function leaveView(): void {
  viewTicket++;
}

/**
 * Applies a change of the shown branch (another version, a new answer and its stream `streamId`, a
 * deletion); falls back to reopening the conversation when the anchor is not in view.
 */
export async function applyPath(set: SetChat, get: GetChat, u: PathUpdate, streamId?: string): Promise<void> {
  if (get().activeId !== u.conversation.id) return;
  const msgs = get().messages;
  const at = u.anchorId === null ? -1 : msgs.findIndex((m) => m.id === u.anchorId);
  if (u.anchorId !== null && at < 0) {
    await get().open(u.conversation.id);
    return;
  }
  const last = u.tail.at(-1);
  set({
    conversation: u.conversation,
    messages: [...msgs.slice(0, at + 1), ...u.tail],
    ...(streamId && last ? started(get, streamId, last.id, u.conversation.id) : {}),
  });
  if (streamId) settleEarlyEnd(set, get, streamId);
}

/** After the frame that paints what is in the store now. */
function afterPaint(): Promise<void> {
  return new Promise<void>((r) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => setTimeout(r, 0)) : setTimeout(r, 0)));
}

export function viewSlice(set: SetChat, get: GetChat): ViewSlice {
  /**
   * The messages before `firstId` (the oldest one shown), fetched after the newest ones have been
   * painted and put in front of them. Dropped if the view moved on or its path changed meanwhile.
   */
  const loadEarlier = async (id: string, ticket: number, firstId: string) => {
    await afterPaint();
    if (ticket !== viewTicket) return;
    try {
      const full = await call('conversations.open', { id });
      if (ticket !== viewTicket || get().messages[0]?.id !== firstId) return;
      const at = full.messages.findIndex((m) => m.id === firstId);
      if (at > 0) set({ messages: [...full.messages.slice(0, at), ...get().messages] });
    } catch (err) {
      // The newest messages stay; the reader is told, above them, that the older ones could not be
      // loaded, with a way to try again (the composer's error box is for what the user sends).
      if (ticket === viewTicket) set({ earlierError: errorInfo(err) });
    }
  };

  return {
    activeId: null,
    conversation: null,
    messages: [],
    loading: false,
    focusId: null,
    focusSeq: 0,
    earlierError: null,

    async open(id, focusMessageId = null) {
      drafts.flush();
      const ticket = ++viewTicket;
      opening(id);
      set({ loading: true, sendError: null, paramsInvalid: false, earlierError: null, skipped: null });
      try {
        // The newest messages first; a search hit may be anywhere: then the whole path at once.
        const { conversation, messages, earlier, streams: running } = await call('conversations.open', focusMessageId ? { id } : { id, tail: FIRST_PAGE });
        if (ticket !== viewTicket) return;
        adopt(set, get, id, running, messages);
        arrived(id);
        set({ activeId: id, conversation, messages, focusId: focusMessageId, ...(focusMessageId ? { focusSeq: get().focusSeq + 1 } : {}) });
        if (focusMessageId) {
          // The highlight fades here, not in the row: a virtualised row may be unmounted meanwhile.
          const seq = get().focusSeq;
          setTimeout(() => {
            if (get().focusSeq === seq) set({ focusId: null });
          }, FOCUS_MS);
        }
        if (earlier && messages[0]) void loadEarlier(id, ticket, messages[0].id);
        // A search hit on another version: show that version.
        if (focusMessageId && !messages.some((m) => m.id === focusMessageId)) {
          await applyPath(set, get, await call('messages.select', { messageId: focusMessageId }));
        }
      } catch (err) {
        // Nothing of it was shown, and the app says why: not a start to avoid next time.
        shown(id);
        if (ticket !== viewTicket) return;
        set({ sendError: errorInfo(err) });
        void get().loadList();
      } finally {
        if (ticket === viewTicket) set({ loading: false });
      }
    },

    retryEarlier() {
      const { activeId, messages, earlierError } = get();
      if (!activeId || !earlierError || !messages[0]) return;
      set({ earlierError: null });
      void loadEarlier(activeId, viewTicket, messages[0].id);
    },
  };
}
