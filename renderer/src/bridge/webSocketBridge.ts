/**
 * The bridge over `dapper serve`'s WebSocket, for the renderer running in a plain browser.
 * Reads the session token from the page address (`?token=…`). Wire format:
 * common/webSocketProtocol.ts.
 */
import type {
  BridgeEventMap,
  DapperBridge,
  EventChannel,
  InvokeArgs,
  InvokeChannel,
  InvokeResult,
} from '../../../common/bridge';
import { BRIDGE_SOCKET_PATH, type InvokeFrame, type ServerFrame } from '../../../common/webSocketProtocol';

interface Pending {
  readonly channel: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** Raised for every invoke once the connection to `dapper serve` is gone. */
export class BridgeDisconnectedError extends Error {
  constructor(reason: string) {
    super(`Lost the connection to dapper serve (${reason}). Restart \`dapper serve\` and open the address it prints.`);
    this.name = 'BridgeDisconnectedError';
  }
}

export function bridgeSocketUrl(location: Pick<Location, 'protocol' | 'host' | 'search'>): string {
  const token = new URLSearchParams(location.search).get('token');
  if (!token) {
    throw new Error('This page address has no token. Open the full address printed by `dapper serve` (it ends with ?token=…).');
  }
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${BRIDGE_SOCKET_PATH}?token=${encodeURIComponent(token)}`;
}

export function createWebSocketBridge(
  url: string = bridgeSocketUrl(window.location),
  createSocket: (url: string) => WebSocket = (address) => new WebSocket(address),
): DapperBridge {
  const socket = createSocket(url);
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const queued: string[] = [];
  let nextId = 1;
  let closedReason: string | null = null;
  /** Sessions started by this page and not yet closed. */
  const activeSessions = new Set<string>();

  const failAll = (reason: string): void => {
    closedReason = reason;
    for (const request of pending.values()) request.reject(new BridgeDisconnectedError(reason));
    pending.clear();
    queued.length = 0;
  };

  socket.addEventListener('open', () => {
    for (const frame of queued.splice(0)) socket.send(frame);
  });
  // An error is always followed by 'close', which reports it; listening keeps it from being "unhandled".
  socket.addEventListener('error', () => undefined);
  socket.addEventListener('close', (event) => {
    failAll(event.reason || `connection closed, code ${event.code}`);
    // Sessions of this page ended with the connection; tell the UI so it does not wait.
    const closed = listeners.get('dap.closed');
    if (closed) for (const sessionId of activeSessions) for (const listener of closed) listener(sessionId, 'Lost the connection to dapper serve.');
    activeSessions.clear();
  });
  socket.addEventListener('message', (event) => {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(String(event.data)) as ServerFrame;
    } catch {
      console.error('dapper: ignored a malformed message from dapper serve');
      return;
    }
    if (frame.type === 'event') {
      if (frame.event === 'dap.closed') activeSessions.delete(frame.args[0] as string);
      for (const listener of listeners.get(frame.event) ?? []) listener(...frame.args);
      return;
    }
    if (frame.id === null) {
      console.error(`dapper serve rejected a message: ${frame.ok ? 'unknown' : frame.error}`);
      return;
    }
    const request = pending.get(frame.id);
    if (!request) return;
    pending.delete(frame.id);
    if (frame.ok) {
      if (request.channel === 'dap.start') activeSessions.add((frame.value as { sessionId: string }).sessionId);
      request.resolve(frame.value);
    } else {
      request.reject(new Error(frame.error));
    }
  });
  return {
    invoke<K extends InvokeChannel>(channel: K, ...args: InvokeArgs<K>): Promise<InvokeResult<K>> {
      if (closedReason !== null) return Promise.reject(new BridgeDisconnectedError(closedReason));
      const id = nextId++;
      const frame: InvokeFrame = { type: 'invoke', id, channel, args };
      return new Promise<InvokeResult<K>>((resolve, reject) => {
        pending.set(id, { channel, resolve: resolve as (value: unknown) => void, reject });
        const text = JSON.stringify(frame);
        if (socket.readyState === socket.OPEN) socket.send(text);
        else queued.push(text);
      });
    },
    on<K extends EventChannel>(event: K, listener: BridgeEventMap[K]): () => void {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      const untyped = listener as (...args: unknown[]) => void;
      set.add(untyped);
      return () => {
        set.delete(untyped);
      };
    },
  };
}
