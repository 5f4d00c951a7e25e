/** The DAP client of the current session, if any; one session at a time, like VS Code's default. */
import type { DapClient } from '../dap/dapClient';

let current: DapClient | null = null;

export function getActiveClient(): DapClient | null {
  return current && !current.isClosed ? current : null;
}

export function setActiveClient(client: DapClient | null): void {
  current = client;
}
