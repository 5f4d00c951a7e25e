/**
 * electron/main.ts wired to a fake Electron (see fakeElectron.ts): what the window, the
 * renderer and the user observe, without the Electron binary.
 */
import * as os from 'node:os';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { appEvents, FakeBrowserWindow, FakeWebContents, ipcHandlers, recorded } from './fakeElectron';

const ROOT = path.resolve(__dirname, '..', '..');

vi.mock('electron', async () => (await import('./fakeElectron')).fakeElectronModule(path.resolve(__dirname, '..', '..')));

let window: FakeBrowserWindow;

function invoke(channel: string, args: unknown[], sender: FakeWebContents = window.webContents, frameUrl = window.loadedUrl) {
  const frame = sender.mainFrame;
  frame.url = frameUrl;
  return ipcHandlers.get('dapper:invoke')!({ sender, senderFrame: frame }, channel, args);
}

function menuItem(label: string): { click(): void } {
  const all = (items: any[]): any[] => items.flatMap((item) => [item, ...all(item.submenu ?? [])]);
  return all(recorded.menuTemplate ?? []).find((item) => item.label === label);
}

beforeAll(async () => {
  process.env.DAPPER_CONFIG_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'dapper-electron-test-'));
  Object.assign(globalThis, { MAIN_WINDOW_VITE_DEV_SERVER_URL: undefined, MAIN_WINDOW_VITE_NAME: 'main_window' });
  process.argv = ['/usr/bin/electron', '.'];
  await import('../main');
  await vi.waitFor(() => expect(FakeBrowserWindow.created).toHaveLength(1));
  window = FakeBrowserWindow.created[0];
});

afterAll(() => {
  fs.rmSync(process.env.DAPPER_CONFIG_DIR ?? '', { recursive: true, force: true });
});

describe('Electron folders', () => {
  it('File › Open Folder… asks the renderer, whose request opens a native folder dialog; the folder becomes readable and recent', async () => {
    menuItem('Open Folder…').click();
    expect(window.webContents.sent.at(-1)).toEqual(['dapper:event', 'app.menuCommand', ['file.openFolder']]);

    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'dapper-electron-folder-'));
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'hello\n');
    recorded.openDialogResult = folder;
    expect(await invoke('folder.openDialog', [])).toEqual({ ok: true, value: folder });
    expect(recorded.openDialogOptions.at(-1)).toMatchObject({ properties: ['openDirectory'] });
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
    expect(await invoke('app.info', [], new FakeWebContents())).toEqual({ ok: false, error: expect.stringContaining('only answers the Dapper Desktop window') });
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
    recorded.messageBoxAnswer = 2; // Cancel
    window.close();
    expect(window.closed).toBe(false);
    expect(recorded.messageBoxes).toHaveLength(1);

    recorded.messageBoxAnswer = 0; // Save
    window.close();
    expect(window.closed).toBe(false);
    expect(window.webContents.sent.at(-1)).toEqual(['dapper:event', 'app.menuCommand', ['file.save']]);
    await invoke('window.setDirty', [false]); // the renderer saved
    expect(window.closed).toBe(true);
  });
});

describe('Electron hardening', () => {
  it('blocks navigation away from the app and window.open, sends a CSP header, denies permissions', () => {
    const contents = new FakeWebContents();
    appEvents.emit('web-contents-created', {}, contents);
    let prevented = false;
    contents.emit('will-navigate', { preventDefault: () => (prevented = true) }, 'https://evil.example/');
    expect(prevented).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://docs.python.org/3/' })).toEqual({ action: 'deny' });
    expect(recorded.openedExternally).toEqual(['https://docs.python.org/3/']);

    let headers: Record<string, string[]> = {};
    recorded.headersHandler?.({ responseHeaders: {} }, (result: { responseHeaders: Record<string, string[]> }) => (headers = result.responseHeaders));
    expect(headers['Content-Security-Policy'][0]).toContain("script-src 'self'");

    const answers: boolean[] = [];
    recorded.permissionHandler?.({}, 'media', (allowed: boolean) => answers.push(allowed));
    expect(answers).toEqual([false]);
  });
});
