/**
 * Forwarding a DAP request to the agent and its answer back to the client, the path most
 * requests take. Timeouts and a vanished program become error responses; the session
 * carries on.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { AgentResponse } from './agentChannel';
import type { SessionContext } from './sessionContext';

export const NOT_RUNNING_MESSAGE = 'The program is not running. Start debugging first.';

/**
 * Sends `command` to the agent and answers `response` with the agent's result (body and
 * message included, so failure details such as `diagnostics` reach the client).
 * Returns the agent's response, or undefined if there was none.
 */
export async function forwardToAgent(
  context: SessionContext,
  response: DebugProtocol.Response,
  args: unknown,
  command: string = response.command,
  timeoutMs?: number,
): Promise<AgentResponse | undefined> {
  const agent = context.agent;
  if (!agent) {
    context.sendError(response, NOT_RUNNING_MESSAGE);
    return undefined;
  }
  let answer: AgentResponse;
  try {
    answer = await agent.forward(command, args ?? {}, timeoutMs, { whileRunning: !context.execution.stopped });
  } catch (error) {
    context.sendError(response, (error as Error).message);
    return undefined;
  }
  if (answer.success) {
    response.body = answer.body ?? {};
    context.sendResponse(response);
  } else {
    context.sendError(response, answer.message ?? `The debugger could not complete '${command}'.`, answer.body as Record<string, unknown> | undefined);
  }
  return answer;
}

/** A handler that forwards the request unchanged. */
export function forwardUnchanged(context: SessionContext, response: DebugProtocol.Response, args: unknown): Promise<void> {
  return forwardToAgent(context, response, args).then(() => undefined);
}
