// Contract handlers for chat.*: each one line into the chat service. The answer itself arrives as
// `stream.*` events.
import type { chatCalls } from '../../contract/chat.ts';
import { OK, type DomainHandlers } from '../rpc.ts';
import type { ChatService } from './service.ts';

export function chatHandlers(chat: ChatService): DomainHandlers<typeof chatCalls> {
  return {
    'chat.send': ({ conversationId, text }) => chat.send(conversationId, text),
    'chat.stop': ({ streamId }) => (chat.stop(streamId), OK),
    'chat.regenerate': ({ messageId, model }) => chat.regenerate(messageId, model),
    'chat.edit': ({ messageId, text }) => chat.edit(messageId, text),
    'chat.continue': ({ messageId }) => chat.continueAnswer(messageId),
  };
}
