// The whole bridge: one call and one event subscription. Nothing else of Node or Electron reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

import { IPC_CHANNELS } from '../../shared/security.ts';

const { call: CALL, event: EVENT } = IPC_CHANNELS;
contextBridge.exposeInMainWorld('cabinet', {
  invoke: (method: string, input: unknown) => ipcRenderer.invoke(CALL, method, input),
  onEvent: (listener: (message: unknown) => void) => {
    const forward = (_event: IpcRendererEvent, message: unknown) => listener(message);
    ipcRenderer.on(EVENT, forward);
    return () => {
      ipcRenderer.removeListener(EVENT, forward);
    };
  },
});
