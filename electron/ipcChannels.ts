/** IPC channel names shared by the main process and the preload script. */
export const IPC_INVOKE_CHANNEL = 'dapper:invoke';
export const IPC_EVENT_CHANNEL = 'dapper:event';

/** Errors travel as data: Electron would otherwise prefix "Error invoking remote method". */
export type IpcInvokeReply = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };
