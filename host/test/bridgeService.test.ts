import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { BridgeService } from '../bridge/bridgeService';
import { createTestContext } from './helpers';

function bridgeFor(host: 'browser' | 'electron' = 'browser') {
  const test = createTestContext(host);
  const events: Array<{ event: string; args: unknown[] }> = [];
  const bridge = new BridgeService(test.context, (event, ...args) => events.push({ event, args }));
  return { ...test, bridge, events };
}

const stackTraceResponse = (file: string): DebugProtocol.StackTraceResponse => ({
  seq: 5, type: 'response', request_seq: 4, command: 'stackTrace', success: true,
  body: { stackFrames: [{ id: 1, name: 'f', line: 3, column: 1, source: { name: path.basename(file), path: file } }], totalFrames: 1 },
});

describe('bridge message validation', () => {
  it('refuses unknown channels, wrong argument counts and wrong types with a clear message', async () => {
    const { bridge } = bridgeFor();
    await expect(bridge.invoke('shell.exec', ['rm -rf /'])).rejects.toThrow(/Unknown bridge channel "shell.exec"; expected one of dap.start/);
    await expect(bridge.invoke('file.read', [])).rejects.toThrow('file.read takes 1 argument(s), got 0.');
    await expect(bridge.invoke('file.read', [7])).rejects.toThrow('file.read: argument 1 must be a non-empty string.');
    await expect(bridge.invoke('window.setDirty', ['yes'])).rejects.toThrow('must be true or false');
    await expect(bridge.invoke('dap.send', ['id', { hello: 1 }])).rejects.toThrow('DAP message');
    await expect(bridge.invoke('settings.update', [{ theme: 'dark' }])).rejects.toThrow('Unknown setting "theme".');
    await expect(bridge.invoke('settings.update', [{ applyOnSave: 'no' }])).rejects.toThrow('"applyOnSave" must be true or false');
    await expect(bridge.invoke('app.info', 'not a list')).rejects.toThrow('arguments must be a list');
  });

  it('keeps working after refusing a message', async () => {
    const { bridge, demo } = bridgeFor();
    await expect(bridge.invoke('nope', [])).rejects.toThrow();
    expect(await bridge.invoke('file.read', [demo])).toMatchObject({ path: demo, content: 'print("demo")\n' });
  });
});

describe('file access policy', () => {
  it('opens a Python script by path, but refuses other files nobody opened', async () => {
    const { bridge, dir } = bridgeFor();
    const secret = path.join(dir, 'secret.txt');
    fs.writeFileSync(secret, 'token=hunter2\n');
    await expect(bridge.invoke('file.read', [secret])).rejects.toThrow(/refused to read .*secret\.txt: only Python files you opened/);
    await expect(bridge.invoke('file.save', [secret, 'x'])).rejects.toThrow(/refused to save/);
    expect(fs.readFileSync(secret, 'utf8')).toBe('token=hunter2\n');
    await expect(bridge.invoke('file.read', ['/etc/passwd'])).rejects.toThrow(/refused to read/);
    await expect(bridge.invoke('file.read', ['relative.py'])).rejects.toThrow(/not an absolute path/);
    await expect(bridge.invoke('file.read', [path.join(dir, 'missing.py')])).rejects.toThrow(/missing\.py: it does not exist/);

    const other = path.join(dir, 'other.py');
    fs.writeFileSync(other, 'x = 1\n');
    await expect(bridge.invoke('file.save', [other, 'x = 2\n'])).rejects.toThrow(/refused to save .*Open the file first/);
    expect(fs.readFileSync(other, 'utf8')).toBe('x = 1\n');
    expect(await bridge.invoke('file.read', [other])).toMatchObject({ content: 'x = 1\n' });
    await bridge.invoke('file.save', [other, 'x = 2\n']);
    expect(fs.readFileSync(other, 'utf8')).toBe('x = 2\n');
  });

  it('allows a source once the debug session reports it in a stack trace', async () => {
    const { bridge, sessions, dir, demo } = bridgeFor();
    // A source the program loaded need not be a .py the user could open by path.
    const helper = path.join(dir, 'template.jinja');
    fs.writeFileSync(helper, 'def h():\n    return 1\n');
    await expect(bridge.invoke('file.read', [helper])).rejects.toThrow(/refused/);
    await bridge.invoke('dap.start', [{ launch: { program: demo } }]);
    sessions.playFromAdapter(stackTraceResponse(helper));
    expect(await bridge.invoke('file.read', [helper])).toMatchObject({ content: 'def h():\n    return 1\n' });
    await bridge.invoke('file.save', [helper, 'def h():\n    return 2\n']);
    expect(fs.readFileSync(helper, 'utf8')).toBe('def h():\n    return 2\n');
  });

  it('does not let a path spelled through ".." or a symlink get around the policy', async () => {
    const { bridge, dir, demo } = bridgeFor();
    const secret = path.join(dir, 'secret.env');
    fs.writeFileSync(secret, 'password = 1\n');
    await expect(bridge.invoke('file.read', [path.join(path.dirname(demo), 'x', '..', 'secret.env')])).rejects.toThrow(/refused/);
    if (process.platform !== 'win32') {
      const link = path.join(dir, 'innocent.py');
      fs.symlinkSync(secret, link);
      await expect(bridge.invoke('file.read', [link])).rejects.toThrow(/refused to read/);
    }
    expect(await bridge.invoke('file.read', [path.join(path.dirname(demo), 'x', '..', 'demo.py')])).toMatchObject({ content: 'print("demo")\n' });
  });

  it('only debugs a program the user opened', async () => {
    const { bridge, sessions, dir, demo } = bridgeFor();
    const other = path.join(dir, 'other.py');
    fs.writeFileSync(other, 'x = 1\n');
    await expect(bridge.invoke('dap.start', [{ launch: { program: other } }])).rejects.toThrow(/only debug a script you opened/);
    const { sessionId } = (await bridge.invoke('dap.start', [{ launch: { program: demo } }])) as { sessionId: string };
    const launch = { seq: 2, type: 'request', command: 'launch', arguments: { program: other } };
    await expect(bridge.invoke('dap.send', [sessionId, launch])).rejects.toThrow(/only debug a script you opened/);
    expect(sessions.received).toEqual([]);
    const restart = { seq: 3, type: 'request', command: 'restart', arguments: { arguments: { program: other } } };
    await expect(bridge.invoke('dap.send', [sessionId, restart])).rejects.toThrow(/only debug a script you opened/);
    const allowed = { ...launch, arguments: { program: demo } };
    await bridge.invoke('dap.send', [sessionId, allowed]);
    expect(sessions.received).toEqual([allowed]);
  });

  it('refuses Recent entries that were never opened', async () => {
    const { bridge, demo } = bridgeFor();
    await expect(bridge.invoke('settings.update', [{ recentFiles: ['/etc/shadow'] }])).rejects.toThrow(/Recent files may only list files you opened/);
    expect(await bridge.invoke('settings.update', [{ recentFiles: [demo] }])).toMatchObject({ recentFiles: [demo] });
  });
});

describe('debug sessions over the bridge', () => {
  it('forwards adapter messages as dap.message events and reports dap.closed on dispose', async () => {
    const { bridge, sessions, events, demo } = bridgeFor();
    const { sessionId } = (await bridge.invoke('dap.start', [{ launch: { program: demo } }])) as { sessionId: string };
    const initialized: DebugProtocol.Event = { seq: 1, type: 'event', event: 'initialized' };
    sessions.playFromAdapter(initialized);
    expect(events).toEqual([{ event: 'dap.message', args: [sessionId, initialized] }]);
    await bridge.invoke('dap.dispose', [sessionId]);
    expect(sessions.disposed).toEqual([0]);
    expect(events.at(-1)).toEqual({ event: 'dap.closed', args: [sessionId, 'The session was stopped.'] });
    await expect(bridge.invoke('dap.send', [sessionId, { seq: 3, type: 'request', command: 'threads' }])).rejects.toThrow(/is not running/);
  });

  it('holds program output while the renderer has not handled 4 MB of it, and lets it go on as it reports', async () => {
    const { bridge, sessions, demo } = bridgeFor();
    const { sessionId } = (await bridge.invoke('dap.start', [{ launch: { program: demo } }])) as { sessionId: string };
    const flow = sessions.backpressures[0];
    const line = 'x'.repeat(1024 * 1024 - 1) + '\n';
    for (let seq = 1; seq <= 4; seq++) {
      sessions.playFromAdapter({ seq, type: 'event', event: 'output', body: { category: 'stdout', output: line } } as DebugProtocol.Event);
    }
    expect(flow.isCongested()).toBe(false); // exactly 4 MB waits: the window is full, not over
    sessions.playFromAdapter({ seq: 5, type: 'event', event: 'output', body: { category: 'stdout', output: 'one more\n' } } as DebugProtocol.Event);
    expect(flow.isCongested()).toBe(true);
    let resumed = 0;
    flow.onceDrained(() => resumed++);
    expect(resumed).toBe(0);
    await bridge.invoke('dap.consumed', [sessionId, 5]);
    expect(resumed).toBe(0); // still more than 4 MB waiting
    await bridge.invoke('dap.consumed', [sessionId, 2 * 1024 * 1024]);
    expect(resumed).toBe(1);
    expect(flow.isCongested()).toBe(false);
    await expect(bridge.invoke('dap.consumed', [sessionId, -1])).rejects.toThrow(/whole number/);
  });

  it('lets a held program go on when its renderer goes away', async () => {
    const { bridge, sessions, demo } = bridgeFor();
    const { sessionId } = (await bridge.invoke('dap.start', [{ launch: { program: demo } }])) as { sessionId: string };
    const flow = sessions.backpressures[0];
    sessions.playFromAdapter({ seq: 1, type: 'event', event: 'output', body: { category: 'stdout', output: 'y'.repeat(5 * 1024 * 1024) } } as DebugProtocol.Event);
    let resumed = 0;
    flow.onceDrained(() => resumed++);
    await bridge.invoke('dap.dispose', [sessionId]);
    expect(resumed).toBe(1);
  });

  it('disposes every session when the window goes away', async () => {
    const { bridge, sessions, demo } = bridgeFor();
    await bridge.invoke('dap.start', [{ launch: { program: demo } }]);
    await bridge.invoke('dap.start', [{ launch: { program: demo } }]);
    bridge.dispose();
    expect(sessions.disposed).toEqual([0, 1]);
  });
});

describe('dropped files (browser host)', () => {
  it('saves a dropped script under the session folder, allows it, and reports the folder', async () => {
    const { bridge, context } = bridgeFor();
    const info = (await bridge.invoke('app.info', [])) as { droppedFilesFolder: string };
    expect(info.droppedFilesFolder).toBe(context.droppedFiles?.folder);
    const { path: saved } = (await bridge.invoke('file.saveDropped', ['drop.py', 'print(1)\n'])) as { path: string };
    expect(path.dirname(saved)).toBe(info.droppedFilesFolder);
    expect(await bridge.invoke('file.read', [saved])).toMatchObject({ content: 'print(1)\n' });
    expect((await bridge.invoke('settings.get', [])) as { recentFiles: string[] }).toMatchObject({ recentFiles: [saved] });
  });

  it('never overwrites an earlier drop with different content, and refuses names with folders', async () => {
    const { bridge } = bridgeFor();
    const first = ((await bridge.invoke('file.saveDropped', ['same.py', 'a = 1\n'])) as { path: string }).path;
    const again = ((await bridge.invoke('file.saveDropped', ['same.py', 'a = 1\n'])) as { path: string }).path;
    const second = ((await bridge.invoke('file.saveDropped', ['same.py', 'a = 2\n'])) as { path: string }).path;
    expect(again).toBe(first);
    expect(second).not.toBe(first);
    expect(path.basename(second)).toBe('same.py');
    expect(fs.readFileSync(first, 'utf8')).toBe('a = 1\n');
    for (const name of ['../evil.py', 'a/b.py', '..', 'C:\\x.py', '']) {
      await expect(bridge.invoke('file.saveDropped', [name, 'x'])).rejects.toThrow();
    }
  });

  it('also keeps files dropped on the Electron window that have no path on disk', async () => {
    const { bridge } = bridgeFor('electron');
    const { path: saved } = (await bridge.invoke('file.saveDropped', ['from-browser.py', 'x = 1\n'])) as { path: string };
    expect(fs.readFileSync(saved, 'utf8')).toBe('x = 1\n');
  });
});

describe('window state', () => {
  it('remembers the title and unsaved-edits flag and passes them to the host window', async () => {
    const test = createTestContext('electron');
    const seen: unknown[] = [];
    const bridge = new BridgeService(test.context, () => undefined, {
      setTitle: (title) => seen.push(title),
      setDirty: (dirty) => seen.push(dirty),
      openDialog: async () => test.demo,
    });
    await bridge.invoke('window.setTitle', ['demo.py — stopped']);
    await bridge.invoke('window.setDirty', [true]);
    expect(seen).toEqual(['demo.py — stopped', true]);
    expect(bridge.hasUnsavedEdits).toBe(true);
    expect(await bridge.invoke('file.openDialog', [])).toBe(test.demo);
    expect(test.context.settings.get().recentFiles).toEqual([test.demo]);
  });
});

describe('DAP trace (DAPPER_TRACE_DAP=1)', () => {
  it('writes one line per message in order, on stderr only when asked', async () => {
    const { dapTracerFromEnv } = await import('../bridge/dapTrace');
    expect(dapTracerFromEnv({})).toBeNull();
    const lines: string[] = [];
    const trace = dapTracerFromEnv({ DAPPER_TRACE_DAP: '1' }, (line) => lines.push(line))!;
    trace('to adapter', 'abcdef123456', { seq: 3, type: 'request', command: 'continue', arguments: { threadId: 1 } } as never);
    trace('from adapter', 'abcdef123456', { seq: 9, type: 'event', event: 'stopped', body: { reason: 'breakpoint' } } as never);
    trace('from adapter', 'abcdef123456', { seq: 10, type: 'response', request_seq: 3, command: 'continue', success: true } as never);
    expect(lines).toEqual([
      'dap abcdef12 -> request #3 continue {"threadId":1}\n',
      'dap abcdef12 <- event stopped {"reason":"breakpoint"}\n',
      'dap abcdef12 <- response #3 continue ok\n',
    ]);
  });
});
