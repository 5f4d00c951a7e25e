/**
 * `dapper serve`: an HTTP server for the built renderer plus the bridge over a WebSocket.
 * Binds 127.0.0.1 unless told otherwise; every request needs the token (see AccessGuard).
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { AccessGuard, createToken, isLoopbackHost } from './accessGuard';
import { BridgeService, type BridgeEmit, type HostContext } from '../bridge/bridgeService';
import { resolveStaticFile } from './staticFiles';
import { BRIDGE_SOCKET_PATH, MAX_FRAME_BYTES, type EventFrame, type ResultFrame } from '../../common/webSocketProtocol';

export interface BrowserServerOptions {
  readonly host: string;
  readonly port: number;
  /** Folder of the built renderer (dist/renderer). */
  readonly staticRoot: string;
  readonly context: HostContext;
  /** Fixed token for tests; random otherwise. */
  readonly token?: string;
}

export interface BrowserServer {
  /** The address to open, token included. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

function refuse(response: http.ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
  response.end(`${message}\n`);
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function attachBridge(socket: WebSocket, context: HostContext): void {
  const send = (frame: ResultFrame | EventFrame): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  };
  const emit: BridgeEmit = (event, ...args) => send({ type: 'event', event, args });
  const bridge = new BridgeService(context, emit);

  socket.on('message', (data, isBinary) => {
    let frame: { type?: unknown; id?: unknown; channel?: unknown; args?: unknown };
    try {
      if (isBinary) throw new Error('binary frame');
      frame = JSON.parse(data.toString());
      if (typeof frame !== 'object' || frame === null) throw new Error('not an object');
    } catch {
      send({ type: 'result', id: null, ok: false, error: 'Malformed bridge message: expected a JSON object {type:"invoke", id, channel, args}.' });
      return;
    }
    const id = typeof frame.id === 'number' && Number.isSafeInteger(frame.id) ? frame.id : null;
    if (frame.type !== 'invoke' || id === null) {
      send({ type: 'result', id, ok: false, error: 'Malformed bridge message: expected {type:"invoke", id:<number>, channel, args}.' });
      return;
    }
    bridge.invoke(frame.channel, frame.args).then(
      (value) => send({ type: 'result', id, ok: true, value: value ?? null }),
      (error: unknown) => send({ type: 'result', id, ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
  });
  socket.on('close', () => bridge.dispose());
  socket.on('error', () => bridge.dispose());
}

/** Says why the server could not listen, and what to do about it. */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  switch (error.code) {
    case 'EADDRINUSE':
      return new Error(`Port ${port} on ${host} is already in use. Choose another with --port, or --port 0 for any free port.`);
    case 'EACCES':
      return new Error(`Not allowed to listen on port ${port} (ports below 1024 need administrator rights). Use --port 0 or a port above 1024.`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new Error(`${host} is not an address of this machine. Use --host 127.0.0.1 (the default), or one of this machine's addresses.`);
    default:
      return new Error(`Could not listen on ${host}:${port}: ${error.message}`);
  }
}

export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  if (!fs.existsSync(options.staticRoot)) {
    throw new Error(`The renderer is not built (${options.staticRoot} is missing). Run \`npm run build\` first.`);
  }
  const token = options.token ?? createToken();
  let boundPort = options.port;
  const guard = new AccessGuard(token, () => boundPort, isLoopbackHost(options.host));

  const server = http.createServer((request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      refuse(response, 405, 'Dapper serves the app with GET only.');
      return;
    }
    const verdict = guard.checkHttp(request);
    if (!verdict.ok) {
      refuse(response, verdict.status, verdict.message);
      return;
    }
    const url = new URL(request.url ?? '/', 'http://placeholder');
    const lookup = resolveStaticFile(options.staticRoot, url.pathname);
    if (lookup.kind === 'forbidden') return refuse(response, 403, 'Dapper serves only the app files.');
    if (lookup.kind === 'missing') return refuse(response, 404, `Not found: ${url.pathname}`);
    response.writeHead(200, {
      'Content-Type': lookup.contentType,
      'Set-Cookie': guard.cookieHeader(),
      ...SECURITY_HEADERS,
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    fs.createReadStream(lookup.file).pipe(response);
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://placeholder');
    const verdict = url.pathname === BRIDGE_SOCKET_PATH
      ? guard.checkWebSocket(request)
      : ({ ok: false, status: 404, message: 'Not found' } as const);
    if (!verdict.ok) {
      socket.end(`HTTP/1.1 ${verdict.status} ${http.STATUS_CODES[verdict.status]}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${verdict.message}\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => attachBridge(ws, options.context));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(listenError(error as NodeJS.ErrnoException, options.host, options.port)));
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  boundPort = (server.address() as AddressInfo).port;

  return {
    url: `http://${urlHost(options.host)}:${boundPort}/?token=${token}`,
    port: boundPort,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
