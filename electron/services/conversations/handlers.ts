// Contract handlers for conversations.* and messages.*: each one line into the conversations service.
import type { conversationsCalls } from '../../contract/conversations.ts';
import { OK, type DomainHandlers } from '../rpc.ts';
import type { ConversationsService } from './service.ts';

export function conversationsHandlers(c: ConversationsService): DomainHandlers<typeof conversationsCalls> {
  return {
    'conversations.list': ({ limit }) => c.list(limit),
    'conversations.create': ({ model }) => c.create(model),
    'conversations.open': ({ id, tail }) => c.open(id, tail),
    'conversations.update': (patch) => c.update(patch),
    'conversations.delete': async ({ id }) => (await c.delete(id), OK),
    'conversations.restore': ({ id }) => (c.restore(id), OK),
    'conversations.search': ({ query, limit }) => c.search(query, limit),
    'messages.select': ({ messageId, version }) => c.selectVersion(messageId, version),
    'messages.delete': ({ messageId }) => c.deleteMessage(messageId),
  };
}
