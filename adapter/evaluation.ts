/**
 * Evaluation in the debuggee: evaluate (repl, watch, hover, clipboard), completions and
 * exception details. Evaluate has its own, longer timeout (see agentChannel.ts).
 */
import { forwardUnchanged } from './forwarding';
import type { RequestHandler } from './sessionContext';

export const evaluationHandlers: Record<string, RequestHandler> = {
  evaluate: forwardUnchanged,
  completions: forwardUnchanged,
  exceptionInfo: forwardUnchanged,
};
