/**
 * Evaluation in the debuggee: evaluate (repl, watch, hover, clipboard), completions and
 * exception details. Evaluate has its own, longer timeout (see agentChannel.ts).
 */
import { forwardUnchanged } from './forwarding';
import type { RequestHandlers } from './sessionContext';

export const evaluationHandlers: RequestHandlers = {
  evaluate: forwardUnchanged,
  completions: forwardUnchanged,
  exceptionInfo: forwardUnchanged,
};
