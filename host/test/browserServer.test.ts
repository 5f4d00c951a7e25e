import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserServer, type BrowserServer } from '../browser/browserServer';
import { createTestContext, tempDir } from './helpers';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(port: number, requestPath: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    // http.get would normalise "../" away; a raw path goes out as written.
    const request = http.request({ host: '127.0.0.1', port, path: requestPath, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

function connect(url: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, origin ? { origin } : {});
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    socket.once('error', reject);
  });
}

function nextFrame(socket: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(data.toString()))));
}

describe('dapper serve access control', () => {
  let server: BrowserServer;
  let staticRoot: string;
  let origin: string;

  beforeEach(async () => {
    staticRoot = tempDir('dapper-static-');
    fs.writeFileSync(path.join(staticRoot, 'index.html'), '<!doctype html><title>Dapper</title>');
    fs.mkdirSync(path.join(staticRoot, 'assets'));
    fs.writeFileSync(path.join(staticRoot, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(path.dirname(staticRoot), `${path.basename(staticRoot)}-secret.txt`), 'TOP-SECRET-CONTENT');
    server = await startBrowserServer({ host: '127.0.0.1', port: 0, staticRoot, context: createTestContext().context });
    origin = `http://127.0.0.1:${server.port}`;
  });

  afterEach(async () => {
    await server.close();
  });

  it('prints an address on loopback with a token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[0-9a-f]{48}$`));
  });

  it('refuses the page without a token and with a wrong token, with a message saying what to do', async () => {
    const missing = await get(server.port, '/');
    expect(missing.status).toBe(403);
    expect(missing.body).toContain('needs a token');
    const wrong = await get(server.port, '/?token=0123');
    expect(wrong.status).toBe(403);
    expect(wrong.body).toContain('wrong token');
    expect((await get(server.port, '/assets/app.js')).status).toBe(403);
  });

  it('serves the page with the token and then its assets by cookie', async () => {
    const page = await get(server.port, `/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Dapper</title>');
    const cookie = String(page.headers['set-cookie']?.[0]).split(';')[0];
    expect(cookie).toBe(`dapper_token_${server.port}=${server.token}`);
    const asset = await get(server.port, '/assets/app.js', { cookie });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
  });

  it('refuses a Host header that is not loopback (DNS rebinding)', async () => {
    const reply = await get(server.port, `/?token=${server.token}`, { host: `evil.example:${server.port}` });
    expect(reply.status).toBe(403);
  });

  it('never serves files outside the renderer folder', async () => {
    const secret = `${path.basename(staticRoot)}-secret.txt`;
    for (const attempt of [`/../${secret}`, `/%2e%2e/${secret}`, `/assets/..%2f..%2f${secret}`, '/%2e%2e%2f%2e%2e%2fetc%2fpasswd']) {
      const reply = await get(server.port, `${attempt}?token=${server.token}`);
      expect(reply.status, attempt).toBeGreaterThanOrEqual(403);
      expect(reply.body, attempt).not.toContain('TOP-SECRET-CONTENT');
    }
  });

  it('refuses a WebSocket without the token, with a wrong token, and from a foreign origin', async () => {
    const base = `ws://127.0.0.1:${server.port}/bridge`;
    await expect(connect(base, origin)).rejects.toThrow('HTTP 401');
    await expect(connect(`${base}?token=nope`, origin)).rejects.toThrow('HTTP 401');
    await expect(connect(`${base}?token=${server.token}`, 'http://evil.example')).rejects.toThrow('HTTP 403');
    await expect(connect(`${base}?token=${server.token}`)).rejects.toThrow('HTTP 403');
  });

  it('answers invokes over an accepted WebSocket and survives malformed messages', async () => {
    const socket = await connect(`ws://127.0.0.1:${server.port}/bridge?token=${server.token}`, origin);
    try {
      let reply = nextFrame(socket);
      socket.send('this is not json');
      expect(await reply).toMatchObject({ type: 'result', id: null, ok: false });

      reply = nextFrame(socket);
      socket.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'fs.rm', args: ['/'] }));
      expect(await reply).toMatchObject({ id: 1, ok: false, error: expect.stringContaining('Unknown bridge channel') });

      reply = nextFrame(socket);
      socket.send(JSON.stringify({ type: 'invoke', id: 2, channel: 'file.save', args: [42] }));
      expect(await reply).toMatchObject({ id: 2, ok: false, error: expect.stringContaining('file.save takes 2 argument') });

      reply = nextFrame(socket);
      socket.send(JSON.stringify({ type: 'invoke', id: 3, channel: 'app.info', args: [] }));
      expect(await reply).toMatchObject({ id: 3, ok: true, value: { host: 'browser', version: '0.0.0-test' } });
    } finally {
      socket.close();
    }
  });

  it('explains a port that is taken and an address that is not this machine', async () => {
    await expect(
      startBrowserServer({ host: '127.0.0.1', port: server.port, staticRoot, context: createTestContext().context }),
    ).rejects.toThrow(`Port ${server.port} on 127.0.0.1 is already in use. Choose another with --port`);
    await expect(
      startBrowserServer({ host: '192.0.2.1', port: 0, staticRoot, context: createTestContext().context }),
    ).rejects.toThrow('192.0.2.1 is not an address of this machine');
  });

  it('refuses to start when the renderer is not built', async () => {
    await expect(
      startBrowserServer({ host: '127.0.0.1', port: 0, staticRoot: path.join(staticRoot, 'nope'), context: createTestContext().context }),
    ).rejects.toThrow('npm run build');
  });
});

describe('static file lookup', () => {
  it('stays inside the renderer folder whatever the request path says', async () => {
    const { resolveStaticFile } = await import('../browser/staticFiles');
    const root = tempDir('dapper-static-');
    fs.writeFileSync(path.join(root, 'index.html'), 'x');
    fs.writeFileSync(path.join(path.dirname(root), 'outside.txt'), 'x');
    fs.symlinkSync(path.join(path.dirname(root), 'outside.txt'), path.join(root, 'link.txt'));
    expect(resolveStaticFile(root, '/')).toMatchObject({ kind: 'file', contentType: 'text/html; charset=utf-8' });
    expect(resolveStaticFile(root, '/../outside.txt')).toEqual({ kind: 'forbidden' });
    expect(resolveStaticFile(root, '/%2e%2e%2foutside.txt')).toEqual({ kind: 'forbidden' });
    expect(resolveStaticFile(root, '/link.txt')).toEqual({ kind: 'forbidden' });
    expect(resolveStaticFile(root, '/%E0%A4%A')).toEqual({ kind: 'forbidden' });
    expect(resolveStaticFile(root, '/index.html%00.js')).toEqual({ kind: 'forbidden' });
    expect(resolveStaticFile(root, '/nope.js')).toEqual({ kind: 'missing' });
  });
});
