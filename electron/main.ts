/**
 * Electron main process: one window running the renderer, the bridge over IPC, native
 * menus and dialogs, and the DAP adapter in-process (no extra Node process). All decisions
 * that can be tested without Electron live in host/.
 */
import * as path from 'node:path';
import { app, BrowserWindow, dialog, Menu, session, shell } from 'electron';
import { createInProcessSession } from '../adapter/index';
import { buildMenuTemplate } from '../host/desktop/appMenuTemplate';
import { BridgeService, type HostContext } from '../host/bridge/bridgeService';
import { folderFromAppArgv, scriptFromAppArgv } from '../host/cli/cliArgs';
import { closeDialog, decideClose } from '../host/desktop/closeGuard';
import { CONTENT_SECURITY_POLICY, isExternalLink, isPermissionAllowed, mainWindowOptions, mayNavigate } from '../host/desktop/desktopPolicy';
import { createHostContext } from '../host/bridge/hostContext';
import { packageLayout } from '../host/cli/packageRoot';
import { emitterFor, registerBridge } from './ipcBridge';

// Defined by @electron-forge/plugin-vite.
declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
declare const MAIN_WINDOW_VITE_NAME: string;

const DOCS_URL = 'https://github.com/dapper-desktop/dapper-desktop#readme';

const appUrl = MAIN_WINDOW_VITE_DEV_SERVER_URL
  ? MAIN_WINDOW_VITE_DEV_SERVER_URL
  : new URL(`file://${path.join(__dirname, '..', 'renderer', MAIN_WINDOW_VITE_NAME, 'index.html')}`).href;

let mainWindow: BrowserWindow | null = null;
let bridge: BridgeService | null = null;
let closeAfterSave = false;
const emit = emitterFor(() => mainWindow?.webContents ?? null);

function agentDir(): string | undefined {
  // Packaged: python-agent/ ships as an extra resource (forge.config.ts); in development the
  // adapter finds it next to the package.
  return app.isPackaged ? path.join(process.resourcesPath, 'python-agent') : undefined;
}

function createContext(): HostContext {
  // Packaged, demo/ ships as an extra resource next to app.asar (forge.config.ts).
  const resources = app.isPackaged ? process.resourcesPath : app.getAppPath();
  const layout = { ...packageLayout(app.getAppPath()), demoScript: path.join(resources, 'demo', 'demo.py') };
  return createHostContext({
    host: 'electron',
    layout,
    // `npm start` passes the demo explicitly; an app started from the OS opens on the welcome view.
    initialScript: scriptFromAppArgv(process.argv),
    initialFolder: folderFromAppArgv(process.argv, process.cwd(), app.getAppPath()),
    createDebugSession: ({ onMessage, backpressure }) => createInProcessSession({ onMessage, backpressure, agentDir: agentDir() }),
  });
}

function refreshMenu(context: HostContext): void {
  const { recentFiles, recentFolders } = context.settings.get();
  const template = buildMenuTemplate(recentFiles, {
    command: (command) => emit('app.menuCommand', command),
    openRecent: (file) => openFile(context, file),
    openRecentFolder: (folder) => openFolder(context, folder),
    clearRecent: () => {
      context.settings.update({ recentFiles: [], recentFolders: [] });
      refreshMenu(context);
    },
    openDocs: () => void shell.openExternal(DOCS_URL),
  }, process.platform, recentFolders);
  Menu.setApplicationMenu(Menu.buildFromTemplate(template as Electron.MenuItemConstructorOptions[]));
}

function openFile(context: HostContext, file: string): void {
  bridge?.userOpened(file);
  refreshMenu(context);
  emit('app.openFile', file);
}

function openFolder(context: HostContext, folder: string): void {
  try {
    const opened = bridge?.userOpenedFolder(folder);
    refreshMenu(context);
    if (opened) emit('app.openFolder', opened);
  } catch (error) {
    dialog.showErrorBox('Could not open the folder', error instanceof Error ? error.message : String(error));
  }
}

function createWindow(context: HostContext): void {
  const window = new BrowserWindow(mainWindowOptions(path.join(__dirname, 'preload.js')));
  mainWindow = window;
  bridge = new BridgeService(context, emit, {
    openDialog: async () => {
      const result = await dialog.showOpenDialog(window, {
        title: 'Open a Python script',
        properties: ['openFile'],
        filters: [{ name: 'Python', extensions: ['py', 'pyw'] }, { name: 'All files', extensions: ['*'] }],
      });
      const chosen = result.canceled ? null : (result.filePaths[0] ?? null);
      if (chosen) setImmediate(() => refreshMenu(context));
      return chosen;
    },
    openFolderDialog: async () => {
      const result = await dialog.showOpenDialog(window, { title: 'Open a folder', properties: ['openDirectory'] });
      const chosen = result.canceled ? null : (result.filePaths[0] ?? null);
      if (chosen) setImmediate(() => refreshMenu(context));
      return chosen;
    },
    setTitle: (title) => window.setTitle(title || 'Dapper Desktop'),
    setDirty: (dirty) => {
      window.setDocumentEdited(dirty);
      if (!dirty && closeAfterSave) window.close();
    },
  });

  window.on('close', (event) => {
    if (closeAfterSave && bridge?.hasUnsavedEdits) {
      event.preventDefault();
      return;
    }
    const decision = decideClose(bridge?.hasUnsavedEdits ?? false, () =>
      dialog.showMessageBoxSync(window, closeDialog(bridge?.windowTitle ?? '')),
    );
    if (decision === 'stay') event.preventDefault();
    if (decision === 'save-then-close') {
      event.preventDefault();
      closeAfterSave = true;
      emit('app.menuCommand', 'file.save');
    }
  });
  window.on('closed', () => {
    bridge?.dispose();
    bridge = null;
    mainWindow = null;
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(appUrl);
}

function hardenContents(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(isPermissionAllowed(permission)));
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!mayNavigate(url, appUrl)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!mayNavigate(url, appUrl)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isExternalLink(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

function main(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let context: HostContext | null = null;
  app.on('second-instance', (_event, argv, workingDirectory) => {
    if (!mainWindow || !context) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
    const script = scriptFromAppArgv(argv, workingDirectory);
    if (script) openFile(context, script);
    const folder = folderFromAppArgv(argv, workingDirectory, app.getAppPath());
    if (folder) openFolder(context, folder);
  });
  app.on('window-all-closed', () => app.quit());
  void app.whenReady().then(() => {
    hardenContents();
    context = createContext();
    if (context.settings.loadWarning) dialog.showErrorBox('Settings were reset', context.settings.loadWarning);
    registerBridge(() => bridge, () => mainWindow?.webContents.id ?? null, appUrl);
    refreshMenu(context);
    createWindow(context);
    const ready = context;
    app.on('activate', () => {
      if (!mainWindow) createWindow(ready);
    });
  });
}

main();
