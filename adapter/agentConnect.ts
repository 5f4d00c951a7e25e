/**
 * Attaching to a program started with `python -m dapper_agent --listen`: connect, present the
 * token, and get either the agent's `hello` (then an AgentChannel) or its refusal
 * (docs/agent-protocol.md, "Attach"). Every failure says what to check.
 */
import { connect, type Socket } from 'node:net';
import { AGENT_PROTOCOL_VERSION, type AgentAttachRequest, type AgentRefusal } from '../common/protocol';
import { AgentChannel, AgentProtocolError, LineReader, type AgentHello } from './agentChannel';
import { log } from './log';

export const CONNECT_TIMEOUT_MS = 15_000;

export class AttachError extends Error {}

function describeSocketError(host: string, port: number, error: NodeJS.ErrnoException): string {
  const where = `${host}:${port}`;
  switch (error.code) {
    case 'ECONNREFUSED':
      return `Nothing is listening at ${where}. Start the program with "python -m dapper_agent --listen ${where} …" (python-agent/ on PYTHONPATH), or check the port.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `The host "${host}" was not found. Check "connect.host" in the attach configuration.`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} cannot be reached from this machine (${error.code}). Check the address and the network.`;
    default:
      return `Could not connect to ${where}: ${error.message}.`;
  }
}

/** Connects to a listening agent and resolves with the authenticated channel. */
export function connectToAgent(host: string, port: number, token: string, timeoutMs = CONNECT_TIMEOUT_MS): Promise<AgentChannel> {
  return new Promise<AgentChannel>((resolve, reject) => {
    const socket: Socket = connect({ host, port });
    let settled = false;
    let onLine: ((line: string) => void) | undefined;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      reject(new AttachError(message));
    };
    const timer = setTimeout(
      () => fail(`${host}:${port} did not answer within ${Math.round(timeoutMs / 1000)} s. Is it a program started with "python -m dapper_agent --listen"?`),
      timeoutMs,
    );
    const reader = new LineReader((line) => {
      if (settled) {
        onLine?.(line);
        return;
      }
      let first: AgentHello | AgentRefusal | undefined;
      try {
        first = JSON.parse(line);
      } catch {
        first = undefined;
      }
      if (first?.type === 'refused') {
        fail(`The program at ${host}:${port} refused to attach: ${first.message ?? first.reason ?? 'no reason given'}`);
        return;
      }
      if (first?.type !== 'hello') {
        fail(`${host}:${port} is not a Dapper agent (it answered something else). Check the port.`);
        return;
      }
      if (first.protocol !== AGENT_PROTOCOL_VERSION) {
        fail(new AgentProtocolError(first.protocol).message);
        return;
      }
      settled = true;
      clearTimeout(timer);
      const channel = new AgentChannel(socket, first, (handler) => (onLine = handler));
      log(`attached to pid ${first.pid} at ${host}:${port}, Python ${first.python?.version}`);
      resolve(channel);
    });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => fail(describeSocketError(host, port, error)));
    socket.on('close', () => fail(`${host}:${port} closed the connection without answering. Is it a Dapper agent?`));
    socket.once('connect', () => {
      // One write per message (TCP_NODELAY is on).
      const attach: AgentAttachRequest = { type: 'attach', token, protocol: AGENT_PROTOCOL_VERSION };
      socket.write(JSON.stringify(attach) + '\n');
    });
  });
}
