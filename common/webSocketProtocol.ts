/**
 * Wire format of the bridge over the `dapper serve` WebSocket (path `/bridge?token=…`),
 * shared by the host (host/browser/browserServer.ts) and the renderer (renderer/src/bridge/webSocketBridge.ts).
 * One JSON object per WebSocket text message.
 */
export interface InvokeFrame {
  readonly type: 'invoke';
  readonly id: number;
  readonly channel: string;
  readonly args: readonly unknown[];
}

export type ResultFrame =
  | { readonly type: 'result'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly type: 'result'; readonly id: number | null; readonly ok: false; readonly error: string };

export interface EventFrame {
  readonly type: 'event';
  readonly event: string;
  readonly args: readonly unknown[];
}

/** What the host sends: answers to invokes and events. */
export type ServerFrame = ResultFrame | EventFrame;

export const BRIDGE_SOCKET_PATH = '/bridge';
/** Large enough for any script the editor accepts (20 MB of UTF-8 as JSON). */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;
