/**
 * One-line summaries of the DAP traffic between a window and its adapter, on stderr, when
 * DAPPER_TRACE_DAP=1 (the end-to-end tests turn it on so a failure's server log shows the
 * order of requests, responses and events). Bodies are cut short; nothing goes to stdout.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';

const BODY_PREVIEW = 160;

export function summarize(message: DebugProtocol.ProtocolMessage): string {
  const preview = (value: unknown): string => (value === undefined ? '' : ` ${JSON.stringify(value).slice(0, BODY_PREVIEW)}`);
  if (message.type === 'request') {
    const request = message as DebugProtocol.Request;
    return `request #${request.seq} ${request.command}${preview(request.arguments)}`;
  }
  if (message.type === 'response') {
    const response = message as DebugProtocol.Response;
    return `response #${response.request_seq} ${response.command} ${response.success ? 'ok' : `failed: ${response.message ?? ''}`}`;
  }
  if (message.type === 'event') {
    const event = message as DebugProtocol.Event;
    return `event ${event.event}${preview(event.body)}`;
  }
  return message.type;
}

export type DapTracer = (direction: 'to adapter' | 'from adapter', sessionId: string, message: DebugProtocol.ProtocolMessage) => void;

export function dapTracerFromEnv(env: NodeJS.ProcessEnv = process.env, write: (line: string) => void = (line) => process.stderr.write(line)): DapTracer | null {
  if (env.DAPPER_TRACE_DAP !== '1') return null;
  return (direction, sessionId, message) => {
    const arrow = direction === 'to adapter' ? '->' : '<-';
    write(`dap ${sessionId.slice(0, 8)} ${arrow} ${summarize(message)}\n`);
  };
}
