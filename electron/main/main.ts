import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import { fileURLToPath } from 'node:url';
import { createCore, type Core } from '../core/core.ts';
import { SafeStorageSecretStore } from './safe-storage-secrets.ts';
import { installMenu } from './menu.ts';

const CALL = 'cabinet:call';
const EVENT = 'cabinet:event';
const rendererIndex = fileURLToPath(new URL('../dist/renderer/index.html', import.meta.url));
const preloadPath = fileURLToPath(new URL('./preload.cjs', import.meta.url));
const rendererUrl = new URL(`file://${rendererIndex}`).href;

let core: Core | undefined;
const windows = new Set<BrowserWindow>();

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
    },
  });
  windows.add(win);
  win.on('closed', () => windows.delete(win));
  win.once('ready-to-show', () => win.show());
  // Never navigate away from the app, never open windows: links go to the system browser.
  win.webContents.on('will-navigate', (event, url) => {
    if (url.replace(/[?#].*$/, '') !== rendererUrl) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void win.loadFile(rendererIndex);
  return win;
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [
          "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'",
        ],
      },
    });
  });

  const dataDir = process.env.CABINET_DATA_DIR ?? app.getPath('userData');
  core = createCore({ mode: 'desktop', dataDir, secrets: new SafeStorageSecretStore(dataDir), log: (l) => console.error(l) });
  core.onEvent((message) => {
    for (const win of windows) win.webContents.send(EVENT, message);
  });

  ipcMain.handle(CALL, async (event, method: unknown, input: unknown) => {
    // Only our own page, in one of our windows, may call the core.
    const frameUrl = (event.senderFrame?.url ?? '').replace(/[?#].*$/, '');
    if (!BrowserWindow.fromWebContents(event.sender) || frameUrl !== rendererUrl) {
      return { id: 0, ok: false, error: { code: 'BAD_INPUT', message: 'Refused: the call did not come from Cabinet.' } };
    }
    return core!.router.dispatch(0, String(method), input);
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

app.on('before-quit', () => {
  void core?.close();
});
