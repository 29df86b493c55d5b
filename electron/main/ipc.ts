// Binds every contract call to ipcMain. Kept free of app/window state so it can be unit-tested with
// a stubbed `electron` module: the test checks every call is bound, bad payloads are rejected by
// the shared dispatch, and calls from a foreign frame never reach a service.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { callNames, channelOf, type Envelope } from '../contract/index.ts';
import type { Dispatch } from '../services/rpc.ts';

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

export const FOREIGN_SENDER: Envelope<never> = {
  ok: false,
  error: { code: 'invalid_request', message: 'Calls are only accepted from Kaiwa’s own window.' },
};

export function bindIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, dispatch: Dispatch, isTrusted: SenderCheck): () => void {
  for (const name of callNames) {
    ipcMain.handle(channelOf(name), async (event, payload: unknown) => {
      if (!isTrusted(event)) return FOREIGN_SENDER;
      return dispatch(name, payload);
    });
  }
  return () => {
    for (const name of callNames) ipcMain.removeHandler(channelOf(name));
  };
}

/** Only the top frame of our own window, showing our own page, may call. */
export function makeSenderCheck(getWindowContentsId: () => number | null, isAppUrl: (url: string) => boolean): SenderCheck {
  return (event) => {
    const frame = event.senderFrame;
    if (!frame) return false;
    if (event.sender.id !== getWindowContentsId()) return false;
    if (frame.parent !== null) return false;
    return isAppUrl(frame.url);
  };
}
