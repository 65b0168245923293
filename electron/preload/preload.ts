// The whole bridge: one call and one event subscription. Nothing else of Node or Electron reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

const CALL = 'cabinet:call';
const EVENT = 'cabinet:event';

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
