/**
 * The renderer's single door to its host. Everything that needs `window.dapper` asks this
 * module, so tests install a fake bridge with `setBridge` and the real start-up installs
 * Electron's preload bridge or the WebSocket bridge.
 */
import type { DapperBridge } from '../../../common/bridge';

declare global {
  interface Window {
    dapper?: DapperBridge;
  }
}

let installed: DapperBridge | null = null;

export function setBridge(bridge: DapperBridge): void {
  installed = bridge;
}

export function getBridge(): DapperBridge {
  if (!installed) {
    throw new Error('The Dapper host bridge is not connected yet; reload the window.');
  }
  return installed;
}

export function hasBridge(): boolean {
  return installed !== null;
}
