/**
 * The bridge over Electron IPC: one invoke channel and one event channel, both carrying the
 * channel map of common/bridge.ts. Every message's sender is checked before it is handled.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { BridgeEmit } from '../host/bridge/bridgeService';
import type { BridgeService } from '../host/bridge/bridgeService';
import { isTrustedSender } from '../host/desktop/desktopPolicy';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type IpcInvokeReply } from './ipcChannels';

export function senderOf(event: IpcMainInvokeEvent): { webContentsId: number; frameUrl: string | null; isMainFrame: boolean } {
  const frame = event.senderFrame;
  return {
    webContentsId: event.sender.id,
    frameUrl: frame ? frame.url : null,
    isMainFrame: frame !== null && frame === event.sender.mainFrame,
  };
}

export function emitterFor(contents: () => WebContents | null): BridgeEmit {
  return (event, ...args) => {
    const target = contents();
    if (target && !target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, event, args);
  };
}

/** Registers the invoke handler; returns a function that removes it. */
export function registerBridge(
  bridge: () => BridgeService | null,
  mainWebContentsId: () => number | null,
  appUrl: string,
): () => void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, channel: unknown, args: unknown): Promise<IpcInvokeReply> => {
    if (!isTrustedSender(senderOf(event), mainWebContentsId(), appUrl)) {
      return { ok: false, error: 'Refused: this bridge only answers the Dapper Desktop window.' };
    }
    const service = bridge();
    if (!service) return { ok: false, error: 'The Dapper Desktop window is closing.' };
    try {
      return { ok: true, value: (await service.invoke(channel, args)) ?? null };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  });
  return () => ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
}
