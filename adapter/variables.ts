/** Scopes, variables and changing values (setVariable, setExpression), forwarded to the agent. */
import { forwardUnchanged } from './forwarding';
import type { RequestHandler } from './sessionContext';

export const variablesHandlers: Record<string, RequestHandler> = {
  scopes: forwardUnchanged,
  variables: forwardUnchanged,
  setVariable: forwardUnchanged,
  setExpression: forwardUnchanged,
};
