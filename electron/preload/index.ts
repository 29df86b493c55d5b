// The preload: exposes exactly the contract's calls and events as `window.kaiwa`, nothing else.
// It never exposes ipcRenderer or a generic invoke; each method is bound to one fixed channel.
import { contextBridge, ipcRenderer } from 'electron';
import { buildWindowApi } from '../contract/window-api.ts';

const api = buildWindowApi(
  'ipc',
  (channel, payload) => ipcRenderer.invoke(channel, payload),
  (channel, listener) => {
    const handler = (_event: Electron.IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => {
      ipcRenderer.removeListener(channel, handler);
    };
  },
);

contextBridge.exposeInMainWorld('kaiwa', api);
