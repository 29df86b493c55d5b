// Contract handlers for conversation export/import and staged uploads: each one line into the
// transfer service or the upload store.
import type { transferCalls } from '../../contract/transfer.ts';
import { OK, type DomainHandlers } from '../rpc.ts';
import type { TransferService } from './service.ts';
import type { UploadStore } from './uploads.ts';

export function transferHandlers(transfer: TransferService, uploads: UploadStore): DomainHandlers<typeof transferCalls> {
  return {
    'conversations.export': (input) => transfer.exportConversation(input),
    'conversations.import': ({ uploadId }) => transfer.importUpload(uploadId),
    'uploads.append': ({ uploadId, chunk }) => uploads.append(uploadId, chunk),
    'uploads.discard': ({ uploadId }) => (uploads.discard(uploadId), OK),
  };
}
