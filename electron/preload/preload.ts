// The whole bridge: one call, one event subscription and the system's folder dialog. Nothing else of Node or
// Electron reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

import { IPC_CHANNELS } from '../../shared/security.ts';

const { call: CALL, event: EVENT, chooseFolder: CHOOSE_FOLDER } = IPC_CHANNELS;
contextBridge.exposeInMainWorld('cabinet', {
  invoke: (method: string, input: unknown) => ipcRenderer.invoke(CALL, method, input),
  chooseFolder: (title: string): Promise<string | null> => ipcRenderer.invoke(CHOOSE_FOLDER, title),
  onEvent: (listener: (message: unknown) => void) => {
    const forward = (_event: IpcRendererEvent, message: unknown) => listener(message);
    ipcRenderer.on(EVENT, forward);
    return () => {
      ipcRenderer.removeListener(EVENT, forward);
    };
  },
});
