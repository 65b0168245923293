import { app, BrowserWindow, dialog, ipcMain, session, shell, type IpcMainInvokeEvent } from 'electron';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy, IPC_CHANNELS } from '../../shared/security.ts';
import { createCore, type Core, type CoreClient } from '../core/core.ts';
import { surviveStrayErrors } from '../core/process-guard.ts';
import { SafeStorageSecretStore } from './safe-storage-secrets.ts';
import { installMenu } from './menu.ts';
import { APP_INDEX, APP_ORIGIN, registerAppScheme, serveRenderer } from './app-protocol.ts';

const rendererDir = fileURLToPath(new URL('../dist/renderer/', import.meta.url));
const preloadPath = fileURLToPath(new URL('./preload.cjs', import.meta.url));
/** Pages of the app: anything else is never navigated to, and never calls the core. */
const isAppPage = (url: string) => url.startsWith(`${APP_ORIGIN}/`);

registerAppScheme();

/** The window of a call from our own page (its frame on the app's origin), or null for anything else. */
function fromCabinet(event: IpcMainInvokeEvent): BrowserWindow | null {
  const win = BrowserWindow.fromWebContents(event.sender);
  return win && isAppPage(event.senderFrame?.url ?? '') ? win : null;
}

let core: Core | undefined;
/** Each window is one client of the core: its sessions close when the window does. */
const clients = new Map<number, CoreClient>();

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Cabinet',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      // Middle-click must not open links in new windows (Electronegativity's AUXCLICK check).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  const contentsId = win.webContents.id;
  const client = core!.connectClient((message) => {
    if (!win.webContents.isDestroyed()) win.webContents.send(IPC_CHANNELS.event, message);
  });
  clients.set(contentsId, client);
  win.webContents.once('destroyed', () => {
    clients.delete(contentsId);
    void client.close();
  });
  win.once('ready-to-show', () => win.show());
  // The page refuses to unload while a query tab holds an open transaction: ask, as the browser would.
  win.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(win, {
      type: 'question',
      buttons: ['Roll back and close', 'Keep the window'],
      defaultId: 1,
      cancelId: 1,
      message: 'A query tab has a transaction open.',
      detail: 'Closing rolls it back. To commit it, keep the window and run COMMIT in that tab.',
    });
    if (choice === 0) event.preventDefault();
  });
  // Never navigate away from the app, never open windows: links go to the system browser.
  win.webContents.on('will-navigate', (event, url) => {
    if (url.replace(/[?#].*$/, '') !== APP_INDEX) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void win.loadURL(APP_INDEX);
  return win;
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

app.whenReady().then(() => {
  serveRenderer(rendererDir);
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [contentSecurityPolicy()],
      },
    });
  });

  const dataDir = process.env.CABINET_DATA_DIR ?? app.getPath('userData');
  const log = (line: string) => console.error(`[cabinet] ${line}`);
  surviveStrayErrors(log);
  core = createCore({ mode: 'desktop', dataDir, secrets: new SafeStorageSecretStore(dataDir), log });
  ipcMain.handle(IPC_CHANNELS.call, async (event, method: unknown, input: unknown) => {
    const client = clients.get(event.sender.id);
    if (!client || !fromCabinet(event)) {
      return { id: 0, ok: false, error: { code: 'BAD_INPUT', message: 'Refused: the call did not come from Cabinet.' } };
    }
    return client.call(0, String(method), input);
  });
  // The system's folder dialog, modal on the window that asked: given only its title, it answers a path or null.
  ipcMain.handle(IPC_CHANNELS.chooseFolder, async (event, title: unknown) => {
    const win = fromCabinet(event);
    if (!win) return null;
    const { canceled, filePaths } = await dialog.showOpenDialog(win, {
      title: typeof title === 'string' ? title.slice(0, 200) : 'Choose a folder',
      properties: ['openDirectory', 'createDirectory'],
    });
    return canceled ? null : (filePaths[0] ?? null);
  });

  installMenu();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Quitting waits for the core: open transactions roll back and the demo database shuts down cleanly.
let coreClosed = false;
app.on('before-quit', (event) => {
  if (coreClosed || !core) return;
  event.preventDefault();
  const closing = core;
  core = undefined;
  const timeout = new Promise((resolve) => setTimeout(resolve, 10_000));
  void Promise.race([closing.close().catch((error: unknown) => console.error(`closing the core: ${String(error)}`)), timeout]).then(() => {
    coreClosed = true;
    app.quit();
  });
});
