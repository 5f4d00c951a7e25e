/**
 * Execution control: continue, the three steps, pause, and moving the instruction pointer
 * (goto, restartFrame). The agent resumes all threads; the adapter records that the
 * program runs so Apply Changes knows it is no longer stopped.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { forwardToAgent, forwardUnchanged } from './forwarding';
import type { RequestHandler, SessionContext } from './sessionContext';

async function resume(context: SessionContext, response: DebugProtocol.Response, args: unknown): Promise<void> {
  const answer = await forwardToAgent(context, response, args);
  if (answer?.success) context.execution.markRunning();
}

export const steppingHandlers: Record<string, RequestHandler> = {
  continue: resume,
  next: resume,
  stepIn: resume,
  stepOut: resume,
  pause: forwardUnchanged,
  gotoTargets: forwardUnchanged,
  goto: resume,
  restartFrame: resume,
};
