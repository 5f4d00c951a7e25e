/**
 * Exposes `window.dapper` (common/bridge.ts DapperBridge) to the sandboxed renderer. Only
 * these functions cross the context boundary; the renderer never sees ipcRenderer.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { BridgeEventMap, DapperBridge, EventChannel, InvokeArgs, InvokeChannel, InvokeResult } from '../common/bridge';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type IpcInvokeReply } from './ipcChannels';

const bridge: DapperBridge = {
  async invoke<K extends InvokeChannel>(channel: K, ...args: InvokeArgs<K>): Promise<InvokeResult<K>> {
    const reply = (await ipcRenderer.invoke(IPC_INVOKE_CHANNEL, channel, args)) as IpcInvokeReply;
    if (!reply.ok) throw new Error(reply.error);
    return reply.value as InvokeResult<K>;
  },
  on<K extends EventChannel>(event: K, listener: BridgeEventMap[K]): () => void {
    const handler = (_event: IpcRendererEvent, name: string, args: unknown[]): void => {
      if (name === event) (listener as (...values: unknown[]) => void)(...args);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
  getPathForFile(file: File): string {
    return webUtils.getPathForFile(file);
  },
};

contextBridge.exposeInMainWorld('dapper', bridge);
