/** electron/preload.ts with a fake `electron`: what the renderer gets as `window.dapper`. */
import { EventEmitter } from 'node:events';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { DapperBridge } from '../../common/bridge';

const exposed: Record<string, unknown> = {};
const ipcRenderer = Object.assign(new EventEmitter(), {
  invoke: vi.fn(async (_channel: string, name: string, args: unknown[]) =>
    name === 'app.info' ? { ok: true, value: { host: 'electron' } } : { ok: false, error: `refused ${String(args[0])}` }),
});

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer,
  webUtils: { getPathForFile: (file: { name: string }) => `/home/me/${file.name}` },
}));

let bridge: DapperBridge;

beforeAll(async () => {
  await import('../preload');
  bridge = exposed.dapper as DapperBridge;
});

describe('preload bridge', () => {
  it('exposes only window.dapper, forwarding invokes over one IPC channel', async () => {
    expect(Object.keys(exposed)).toEqual(['dapper']);
    expect(await bridge.invoke('app.info')).toEqual({ host: 'electron' });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('dapper:invoke', 'app.info', []);
  });

  it('turns a refused invoke into an Error with the host message', async () => {
    await expect(bridge.invoke('file.read', '/etc/passwd')).rejects.toThrow('refused /etc/passwd');
  });

  it('delivers only the subscribed event, until unsubscribed', () => {
    const seen: unknown[] = [];
    const off = bridge.on('app.menuCommand', (command) => seen.push(command));
    ipcRenderer.emit('dapper:event', {}, 'app.openFile', ['/x.py']);
    ipcRenderer.emit('dapper:event', {}, 'app.menuCommand', ['debug.pause']);
    off();
    ipcRenderer.emit('dapper:event', {}, 'app.menuCommand', ['debug.stop']);
    expect(seen).toEqual(['debug.pause']);
  });

  it('gives the real path of a dropped file', () => {
    expect(bridge.getPathForFile?.({ name: 'job.py' } as File)).toBe('/home/me/job.py');
  });
});
