/**
 * Execution control: continue, the three steps, pause, and moving the instruction pointer
 * (goto, restartFrame). The agent resumes all threads; the adapter records that the
 * program runs so Apply Changes knows it is no longer stopped.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { forwardToAgent, forwardUnchanged } from './forwarding';
import type { RequestHandlers, SessionContext } from './sessionContext';

/**
 * Marks the program running before the request leaves: the agent may report the next stop
 * before its answer to this request arrives, and that stop must win. A refused request
 * leaves the program where it was, so the earlier stop is restored.
 */
async function resume(context: SessionContext, response: DebugProtocol.Response, args: unknown): Promise<void> {
  const { execution } = context;
  if (execution.reloadInProgress) {
    // The program must not move on in the middle of an apply (it would switch code mid-run).
    context.sendError(response, APPLY_IN_PROGRESS_MESSAGE);
    return;
  }
  const wasStopped = execution.stopped;
  const stoppedThreadId = execution.stoppedThreadId;
  execution.markRunning();
  const answer = await forwardToAgent(context, response, args);
  if (!answer?.success && wasStopped && !execution.stopped) execution.markStopped(stoppedThreadId);
}

export const APPLY_IN_PROGRESS_MESSAGE =
  'Apply Changes is in progress; the program stays where it is until it finishes. Try again in a moment.';

export const steppingHandlers: RequestHandlers = {
  continue: resume,
  next: resume,
  stepIn: resume,
  stepOut: resume,
  pause: forwardUnchanged,
  gotoTargets: forwardUnchanged,
  goto: resume,
  // The agent answers, then drops the frames above and stops with reason `restart`.
  restartFrame: resume,
};
