import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate, type MenuItemTemplate } from '../desktop/appMenuTemplate';
import { scriptFromAppArgv } from '../cli/cliArgs';
import { closeDialog, decideClose } from '../desktop/closeGuard';
import { CONTENT_SECURITY_POLICY, isPermissionAllowed, isTrustedSender, mainWindowOptions, mayNavigate } from '../desktop/desktopPolicy';
import type { MenuCommand } from '../../common/bridge';
import { tempDir } from './helpers';

const FILE_APP = 'file:///opt/dapper/.vite/renderer/main_window/index.html';
const DEV_APP = 'http://localhost:5173/';

describe('Electron window security', () => {
  it('isolates and sandboxes the renderer, with no Node integration anywhere', () => {
    const { webPreferences } = mainWindowOptions('/app/preload.js');
    expect(webPreferences).toMatchObject({
      preload: '/app/preload.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
  });

  it('sends a CSP that forbids remote scripts, eval and framing', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });

  it('allows navigation only to the app page itself', () => {
    expect(mayNavigate(`${FILE_APP}#/editor`, FILE_APP)).toBe(true);
    expect(mayNavigate('file:///etc/passwd', FILE_APP)).toBe(false);
    expect(mayNavigate('https://example.com/', FILE_APP)).toBe(false);
    expect(mayNavigate('http://localhost:5173/index.html', DEV_APP)).toBe(true);
    expect(mayNavigate('http://localhost:5174/', DEV_APP)).toBe(false);
    expect(mayNavigate('not a url', FILE_APP)).toBe(false);
  });

  it('grants no web permission except writing the clipboard', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write')).toBe(true);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fileSystem']) {
      expect(isPermissionAllowed(permission)).toBe(false);
    }
  });

  it('trusts IPC only from the main window’s top frame showing the app', () => {
    const good = { webContentsId: 7, frameUrl: FILE_APP, isMainFrame: true };
    expect(isTrustedSender(good, 7, FILE_APP)).toBe(true);
    expect(isTrustedSender({ ...good, webContentsId: 8 }, 7, FILE_APP)).toBe(false);
    expect(isTrustedSender({ ...good, isMainFrame: false }, 7, FILE_APP)).toBe(false);
    expect(isTrustedSender({ ...good, frameUrl: 'https://evil.example/' }, 7, FILE_APP)).toBe(false);
    expect(isTrustedSender({ ...good, frameUrl: null }, 7, FILE_APP)).toBe(false);
    expect(isTrustedSender(good, null, FILE_APP)).toBe(false);
  });
});

describe('native menus', () => {
  function collect(items: readonly MenuItemTemplate[]): MenuItemTemplate[] {
    return items.flatMap((item) => [item, ...collect(item.submenu ?? [])]);
  }

  it('offers File, Debug and Help; Debug items send the toolbar commands', () => {
    const sent: MenuCommand[] = [];
    const opened: string[] = [];
    const template = buildMenuTemplate(['/work/a.py'], {
      command: (command) => sent.push(command),
      openRecent: (file) => opened.push(file),
      openRecentFolder: (folder) => opened.push(folder),
      clearRecent: () => undefined,
      openDocs: () => undefined,
    }, 'linux');
    expect(template.map((menu) => menu.label ?? menu.role)).toEqual(['&File', 'editMenu', '&Debug', 'viewMenu', 'windowMenu', '&Help']);
    const items = collect(template);
    const byLabel = (label: string) => items.find((item) => item.label === label);
    for (const label of ['Continue', 'Pause', 'Step Over', 'Step Into', 'Step Out', 'Restart', 'Stop', 'Apply Changes', 'Attach to Process…', 'Attach to Host…', 'Open…', 'Save']) {
      byLabel(label)?.click?.();
    }
    expect(sent).toEqual(['debug.continue', 'debug.pause', 'debug.stepOver', 'debug.stepInto', 'debug.stepOut', 'debug.restart', 'debug.stop', 'debug.applyChanges', 'debug.attachProcess', 'debug.attachHost', 'file.open', 'file.save']);
    expect(byLabel('Step Over')?.accelerator).toBe('F10');
    items.find((item) => item.label?.startsWith('a.py'))?.click?.();
    expect(opened).toEqual(['/work/a.py']);
  });

  it('shows an empty Recent menu as disabled', () => {
    const template = buildMenuTemplate([], { command: () => undefined, openRecent: () => undefined, openRecentFolder: () => undefined, clearRecent: () => undefined, openDocs: () => undefined }, 'linux');
    expect(collect(template).find((item) => item.label === 'No Recent Files')?.enabled).toBe(false);
  });
});

describe('closing with unsaved edits', () => {
  it('closes at once when nothing is unsaved, and asks otherwise', () => {
    let asked = 0;
    expect(decideClose(false, () => ++asked)).toBe('close');
    expect(asked).toBe(0);
    expect(decideClose(true, () => 0)).toBe('save-then-close');
    expect(decideClose(true, () => 1)).toBe('close');
    expect(decideClose(true, () => 2)).toBe('stay');
    expect(decideClose(true, () => -1)).toBe('stay');
    expect(closeDialog('demo.py').detail).toContain('demo.py has edits that are not saved');
  });
});

describe('script argument of the desktop app', () => {
  it('takes the last existing file, skipping Electron switches and the app folder', () => {
    const dir = tempDir();
    const script = path.join(dir, 'job.py');
    fs.writeFileSync(script, '');
    expect(scriptFromAppArgv(['/usr/bin/electron', '.', '--inspect=0', script], dir)).toBe(script);
    expect(scriptFromAppArgv(['/opt/dapper', 'job.py'], dir)).toBe(script);
    expect(scriptFromAppArgv(['/usr/bin/electron', '.'], dir)).toBeNull();
  });
});
