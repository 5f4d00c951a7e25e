/**
 * A stand-in for the parts of Electron's main-process API that electron/main.ts uses, so
 * its wiring (IPC, sender checks, menus, close guard, hardening) runs under vitest without
 * the Electron binary. Records what main.ts asked for; tests play the user's side.
 */
import { EventEmitter } from 'node:events';

type Listener = (...args: any[]) => unknown;

export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly sent: unknown[][] = [];
  readonly mainFrame: { url: string };
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;

  constructor(url = '') {
    super();
    this.mainFrame = { url };
  }

  send(...args: unknown[]): void {
    this.sent.push(args);
  }

  isDestroyed(): boolean {
    return false;
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  title = '';
  documentEdited = false;
  closed = false;
  loadedUrl = '';

  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.created.push(this);
  }

  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }

  setTitle(title: string): void {
    this.title = title;
  }

  setDocumentEdited(edited: boolean): void {
    this.documentEdited = edited;
  }

  /** Like Electron: emits 'close' (cancellable), then 'closed' unless prevented. */
  close(): void {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) {
      this.closed = true;
      this.emit('closed');
    }
  }

  show(): void {}
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {}
}

export const ipcHandlers = new Map<string, Listener>();
export const appEvents = new EventEmitter();
export const recorded = {
  menuTemplate: null as any[] | null,
  headersHandler: null as Listener | null,
  permissionHandler: null as Listener | null,
  messageBoxAnswer: 0,
  messageBoxes: [] as unknown[],
  openedExternally: [] as string[],
  /** What the next native open dialog returns (cancelled when null). */
  openDialogResult: null as string | null,
  openDialogOptions: [] as unknown[],
};

export function fakeElectronModule(appPath: string) {
  return {
    app: {
      isPackaged: false,
      getAppPath: () => appPath,
      requestSingleInstanceLock: () => true,
      whenReady: () => Promise.resolve(),
      quit: () => undefined,
      on: (event: string, listener: Listener) => appEvents.on(event, listener),
    },
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handle: (channel: string, handler: Listener) => ipcHandlers.set(channel, handler),
      removeHandler: (channel: string) => ipcHandlers.delete(channel),
    },
    dialog: {
      showOpenDialog: async (_window: unknown, options: unknown) => {
        recorded.openDialogOptions.push(options);
        const chosen = recorded.openDialogResult;
        recorded.openDialogResult = null;
        return chosen ? { canceled: false, filePaths: [chosen] } : { canceled: true, filePaths: [] };
      },
      showMessageBoxSync: (_window: unknown, options: unknown) => {
        recorded.messageBoxes.push(options);
        return recorded.messageBoxAnswer;
      },
      showErrorBox: () => undefined,
    },
    Menu: {
      buildFromTemplate: (template: any[]) => {
        recorded.menuTemplate = template;
        return template;
      },
      setApplicationMenu: () => undefined,
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (handler: Listener) => (recorded.headersHandler = handler) },
        setPermissionRequestHandler: (handler: Listener) => (recorded.permissionHandler = handler),
      },
    },
    shell: { openExternal: async (url: string) => void recorded.openedExternally.push(url) },
  };
}
