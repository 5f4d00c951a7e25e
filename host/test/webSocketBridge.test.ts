/**
 * The renderer's WebSocket bridge against a real `dapper serve`: what the renderer observes
 * through `DapperBridge` (results, errors, events, a lost connection).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { DapperBridge } from '../../common/bridge';
import { bridgeSocketUrl, createWebSocketBridge } from '../../renderer/src/bridge/webSocketBridge';
import { startBrowserServer, type BrowserServer } from '../browser/browserServer';
import { createTestContext, tempDir, type TestContext } from './helpers';

describe('WebSocket bridge (renderer side) with dapper serve', () => {
  let server: BrowserServer;
  let test: TestContext;
  let bridge: DapperBridge;

  beforeEach(async () => {
    const staticRoot = tempDir('dapper-static-');
    fs.writeFileSync(path.join(staticRoot, 'index.html'), '<!doctype html>');
    test = createTestContext();
    server = await startBrowserServer({ host: '127.0.0.1', port: 0, staticRoot, context: test.context });
    const page = new URL(server.url);
    const origin = `http://${page.host}`;
    bridge = createWebSocketBridge(
      bridgeSocketUrl({ protocol: page.protocol, host: page.host, search: page.search }),
      (url) => new WebSocket(url, { origin }) as unknown as globalThis.WebSocket,
    );
  });

  afterEach(async () => {
    await server.close();
  });

  it('reads the token from the page address, and explains a missing one', () => {
    expect(bridgeSocketUrl({ protocol: 'http:', host: '127.0.0.1:5000', search: '?token=abc' })).toBe('ws://127.0.0.1:5000/bridge?token=abc');
    expect(() => bridgeSocketUrl({ protocol: 'http:', host: '127.0.0.1:5000', search: '' })).toThrow(/no token.*dapper serve/);
  });

  it('resolves invokes sent before the socket opened, and rejects refused ones with the host message', async () => {
    const info = await bridge.invoke('app.info');
    expect(info).toMatchObject({ host: 'browser', demoScript: test.demo });
    await expect(bridge.invoke('file.read', '/etc/passwd')).rejects.toThrow(/refused to read \/etc\/passwd/);
    expect(await bridge.invoke('file.read', test.demo)).toMatchObject({ content: 'print("demo")\n' });
  });

  it('delivers adapter messages as dap.message events to listeners, and stops after unsubscribe', async () => {
    const { sessionId } = await bridge.invoke('dap.start', { launch: { program: test.demo } });
    const received: unknown[] = [];
    const unsubscribe = bridge.on('dap.message', (id, message) => received.push([id, message]));
    test.sessions.playFromAdapter({ seq: 1, type: 'event', event: 'initialized' } as never);
    await expect.poll(() => received.length).toBe(1);
    expect(received[0]).toEqual([sessionId, { seq: 1, type: 'event', event: 'initialized' }]);
    unsubscribe();
    test.sessions.playFromAdapter({ seq: 2, type: 'event', event: 'initialized' } as never);
    await bridge.invoke('settings.get');
    expect(received).toHaveLength(1);
  });

  it('reports open sessions as closed and rejects further invokes when the server goes away', async () => {
    const { sessionId } = await bridge.invoke('dap.start', { launch: { program: test.demo } });
    const closed: unknown[] = [];
    bridge.on('dap.closed', (id, reason) => closed.push([id, reason]));
    await server.close();
    await expect.poll(() => closed).toEqual([[sessionId, 'Lost the connection to dapper serve.']]);
    await expect(bridge.invoke('app.info')).rejects.toThrow(/Lost the connection to dapper serve/);
    expect(test.sessions.disposed).toEqual([0]);
  });
});
