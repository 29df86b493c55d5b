// The preload: exposes exactly the contract's calls and events as `window.kaiwa`, nothing else.
// It never exposes ipcRenderer or a generic invoke; each method is bound to one fixed channel.
import { contextBridge, ipcRenderer } from 'electron';
import { channelOf } from '../contract/names.ts';
import { buildWindowApi } from '../contract/window-api.ts';

const api = buildWindowApi(
  'ipc',
  (name, payload) => ipcRenderer.invoke(channelOf(name), payload),
  (name, listener) => {
    const channel = channelOf(name);
    const handler = (_event: Electron.IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => {
      ipcRenderer.removeListener(channel, handler);
    };
  },
);

contextBridge.exposeInMainWorld('kaiwa', api);
