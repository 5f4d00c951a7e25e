/** Scopes, variables and changing values (setVariable, setExpression), forwarded to the agent. */
import { forwardUnchanged } from './forwarding';
import type { RequestHandlers } from './sessionContext';

export const variablesHandlers: RequestHandlers = {
  scopes: forwardUnchanged,
  variables: forwardUnchanged,
  setVariable: forwardUnchanged,
  setExpression: forwardUnchanged,
};
