/**
 * The native menu as data, so electron/ only hands it to Menu.buildFromTemplate. Debug
 * items mirror the renderer's toolbar and reach it as `app.menuCommand`; shortcuts are
 * VS Code's (F5, F10, F11, Shift+F11, Ctrl+Shift+F5, Shift+F5).
 */
import * as path from 'node:path';
import type { MenuCommand } from '../../common/bridge';

/** Structurally compatible with Electron's MenuItemConstructorOptions. */
export interface MenuItemTemplate {
  readonly label?: string;
  readonly role?: 'quit' | 'close' | 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'selectAll' | 'reload' | 'toggleDevTools' | 'togglefullscreen' | 'resetZoom' | 'zoomIn' | 'zoomOut' | 'about' | 'editMenu' | 'viewMenu' | 'windowMenu' | 'appMenu';
  readonly type?: 'separator' | 'submenu' | 'normal';
  readonly accelerator?: string;
  readonly enabled?: boolean;
  readonly submenu?: MenuItemTemplate[];
  readonly click?: () => void;
}

export interface MenuActions {
  command(command: MenuCommand): void;
  openRecent(filePath: string): void;
  openRecentFolder(folder: string): void;
  clearRecent(): void;
  openDocs(): void;
}

const DEBUG_ITEMS: ReadonlyArray<readonly [string, MenuCommand, string]> = [
  ['Start Debugging', 'debug.start', 'F5'],
  ['Continue', 'debug.continue', 'F5'],
  ['Pause', 'debug.pause', 'F6'],
  ['Step Over', 'debug.stepOver', 'F10'],
  ['Step Into', 'debug.stepInto', 'F11'],
  ['Step Out', 'debug.stepOut', 'Shift+F11'],
  ['Restart', 'debug.restart', 'CmdOrCtrl+Shift+F5'],
  ['Stop', 'debug.stop', 'Shift+F5'],
];

export function buildMenuTemplate(
  recentFiles: readonly string[],
  actions: MenuActions,
  platform: NodeJS.Platform = process.platform,
  recentFolders: readonly string[] = [],
): MenuItemTemplate[] {
  const folders: MenuItemTemplate[] = recentFolders.map((folder) => ({
    label: `${path.basename(folder)} — ${path.dirname(folder)}`,
    click: () => actions.openRecentFolder(folder),
  }));
  const files: MenuItemTemplate[] = recentFiles.map((file) => ({
    label: `${path.basename(file)} — ${path.dirname(file)}`,
    click: () => actions.openRecent(file),
  }));
  const recent: MenuItemTemplate[] = recentFiles.length || recentFolders.length
    ? [
        ...folders,
        ...(folders.length && files.length ? [{ type: 'separator' as const }] : []),
        ...files,
        { type: 'separator' as const },
        { label: 'Clear Recent', click: () => actions.clearRecent() },
      ]
    : [{ label: 'No Recent Files', enabled: false }];
  // Start and Continue share F5, as in VS Code; only one accelerator may be registered.
  const debug: MenuItemTemplate[] = DEBUG_ITEMS.map(([label, command, accelerator]) => ({
    label,
    accelerator: command === 'debug.continue' ? undefined : accelerator,
    click: () => actions.command(command),
  }));
  return [
    ...(platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => actions.command('file.open') },
        { label: 'Open Folder…', click: () => actions.command('file.openFolder') },
        { label: 'Quick Open…', accelerator: 'CmdOrCtrl+P', click: () => actions.command('file.quickOpen') },
        { label: 'Open Recent', submenu: recent },
        { type: 'separator' },
        { label: 'Save', accelerator: 'CmdOrCtrl+S', click: () => actions.command('file.save') },
        { type: 'separator' },
        platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&Debug',
      submenu: [
        ...debug,
        { type: 'separator' },
        { label: 'Apply Changes', accelerator: 'CmdOrCtrl+Alt+Enter', click: () => actions.command('debug.applyChanges') },
        { type: 'separator' },
        { label: 'Attach to Process…', click: () => actions.command('debug.attachProcess') },
        { label: 'Attach to Host…', click: () => actions.command('debug.attachHost') },
      ],
    },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      label: '&Help',
      submenu: [
        { label: 'Dapper Desktop on the Web', click: () => actions.openDocs() },
        ...(platform === 'darwin' ? [] : [{ role: 'about' as const }]),
      ],
    },
  ];
}
