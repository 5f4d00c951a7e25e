/**
 * electron/main.ts wired to a fake Electron (see fakeElectron.ts): what the window, the
 * renderer and the user observe, without the Electron binary. Each test starts the app
 * afresh (new module instances, a new fake Electron, a new config folder), so none depends
 * on what another did before it.
 */
import * as os from 'node:os';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FakeBrowserWindow, FakeWebContents } from './fakeElectron';

const ROOT = path.resolve(__dirname, '..', '..');

let fake: typeof import('./fakeElectron');
let window: FakeBrowserWindow;
let configDir: string;

function invoke(channel: string, args: unknown[], sender: FakeWebContents = window.webContents, frameUrl = window.loadedUrl) {
  const frame = sender.mainFrame;
  frame.url = frameUrl;
  return fake.ipcHandlers.get('dapper:invoke')!({ sender, senderFrame: frame }, channel, args);
}

function menuItem(label: string): { click(): void } {
  const all = (items: any[]): any[] => items.flatMap((item) => [item, ...all(item.submenu ?? [])]);
  return all(fake.recorded.menuTemplate ?? []).find((item) => item.label === label);
}

beforeEach(async () => {
  vi.resetModules();
  configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dapper-electron-test-'));
  process.env.DAPPER_CONFIG_DIR = configDir;
  Object.assign(globalThis, { MAIN_WINDOW_VITE_DEV_SERVER_URL: undefined, MAIN_WINDOW_VITE_NAME: 'main_window' });
  process.argv = ['/usr/bin/electron', '.'];
  fake = await import('./fakeElectron');
  const electron = fake.fakeElectronModule(ROOT);
  vi.doMock('electron', () => electron);
  await import('../main');
  await vi.waitFor(() => expect(fake.FakeBrowserWindow.created).toHaveLength(1));
  window = fake.FakeBrowserWindow.created[0];
});

afterEach(() => {
  // Like Electron when the app quits: the window goes and main.ts disposes its bridge.
  if (!window.closed) window.emit('closed');
  fs.rmSync(configDir, { recursive: true, force: true });
});

describe('Electron folders', () => {
  it('File › Open Folder… asks the renderer, whose request opens a native folder dialog; the folder becomes readable and recent', async () => {
    menuItem('Open Folder…').click();
    expect(window.webContents.sent.at(-1)).toEqual(['dapper:event', 'app.menuCommand', ['file.openFolder']]);

    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'dapper-electron-folder-'));
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'hello\n');
    fake.recorded.openDialogResult = folder;
    expect(await invoke('folder.openDialog', [])).toEqual({ ok: true, value: folder });
    expect(fake.recorded.openDialogOptions.at(-1)).toMatchObject({ properties: ['openDirectory'] });
    expect(await invoke('file.read', [path.join(folder, 'notes.txt')])).toMatchObject({ ok: true, value: { content: 'hello\n' } });
    await vi.waitFor(() => expect(menuItem(`${path.basename(folder)} — ${path.dirname(folder)}`)).toBeDefined());

    menuItem(`${path.basename(folder)} — ${path.dirname(folder)}`).click();
    expect(window.webContents.sent.at(-1)).toEqual(['dapper:event', 'app.openFolder', [folder]]);
    fs.rmSync(folder, { recursive: true, force: true });
  });
});

describe('Electron main process', () => {
  it('opens one sandboxed, isolated window on the built renderer with the preload next to main', () => {
    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect((window.options.webPreferences as { preload: string }).preload).toMatch(/preload\.js$/);
    expect(window.loadedUrl).toMatch(/^file:\/\/.*\/renderer\/main_window\/index\.html$/);
  });

  it('answers the window over IPC, with the host kind and the demo', async () => {
    const reply = await invoke('app.info', []);
    expect(reply).toMatchObject({ ok: true, value: { host: 'electron', demoScript: path.join(ROOT, 'demo', 'demo.py'), initialScript: null } });
    expect(await invoke('file.read', ['/etc/passwd'])).toMatchObject({ ok: false, error: expect.stringContaining('refused to read') });
  });

  it('refuses IPC from another webContents or from a page that is not the app', async () => {
    expect(await invoke('app.info', [], new fake.FakeWebContents())).toEqual({ ok: false, error: expect.stringContaining('only answers the Dapper Desktop window') });
    expect(await invoke('app.info', [], window.webContents, 'https://evil.example/')).toMatchObject({ ok: false });
  });

  it('sets the window title and sends Debug menu commands to the renderer', async () => {
    await invoke('window.setTitle', ['demo.py — Paused']);
    expect(window.title).toBe('demo.py — Paused');
    menuItem('Step Over').click();
    expect(window.webContents.sent.at(-1)).toEqual(['dapper:event', 'app.menuCommand', ['debug.stepOver']]);
  });

  it('asks before closing with unsaved edits: Cancel stays, Save saves then closes', async () => {
    await invoke('window.setDirty', [true]);
    expect(window.documentEdited).toBe(true);
    fake.recorded.messageBoxAnswer = 2; // Cancel
    window.close();
    expect(window.closed).toBe(false);
    expect(fake.recorded.messageBoxes).toHaveLength(1);

    fake.recorded.messageBoxAnswer = 0; // Save
    window.close();
    expect(window.closed).toBe(false);
    expect(window.webContents.sent.at(-1)).toEqual(['dapper:event', 'app.menuCommand', ['file.save']]);
    await invoke('window.setDirty', [false]); // the renderer saved
    expect(window.closed).toBe(true);
  });
});

describe('Electron hardening', () => {
  it('blocks navigation away from the app and window.open, sends a CSP header, denies permissions', () => {
    const contents = new fake.FakeWebContents();
    fake.appEvents.emit('web-contents-created', {}, contents);
    let prevented = false;
    contents.emit('will-navigate', { preventDefault: () => (prevented = true) }, 'https://evil.example/');
    expect(prevented).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://docs.python.org/3/' })).toEqual({ action: 'deny' });
    expect(fake.recorded.openedExternally).toEqual(['https://docs.python.org/3/']);

    let headers: Record<string, string[]> = {};
    fake.recorded.headersHandler?.({ responseHeaders: {} }, (result: { responseHeaders: Record<string, string[]> }) => (headers = result.responseHeaders));
    expect(headers['Content-Security-Policy'][0]).toContain("script-src 'self'");

    const answers: boolean[] = [];
    fake.recorded.permissionHandler?.({}, 'media', (allowed: boolean) => answers.push(allowed));
    expect(answers).toEqual([false]);
  });
});
