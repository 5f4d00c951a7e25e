/** The DAP clients of the program's child processes, by session id (childSessions.ts owns them). */
import type { DapClient } from '../dap/dapClient';

const clients = new Map<string, DapClient>();

export function childClients(): DapClient[] {
  return [...clients.values()].filter((client) => !client.isClosed);
}

export function childClient(sessionId: string): DapClient | undefined {
  return clients.get(sessionId);
}

export function registerChildClient(client: DapClient): void {
  clients.set(client.sessionId, client);
}

export function forgetChildClient(sessionId: string): void {
  clients.delete(sessionId);
}
