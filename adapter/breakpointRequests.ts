/**
 * The breakpoint requests: source, function and exception breakpoints go through the
 * adapter's BreakpointStore (stable ids, kept across restarts); breakpointLocations is
 * forwarded.
 */
import { forwardUnchanged } from './forwarding';
import type { RequestHandlers, SessionContext } from './sessionContext';
import type { DebugProtocol } from '@vscode/debugprotocol';

async function answer(
  context: SessionContext,
  response: DebugProtocol.Response,
  work: () => Promise<Record<string, unknown>>,
): Promise<void> {
  try {
    response.body = await work();
    context.sendResponse(response);
  } catch (error) {
    context.sendError(response, (error as Error).message);
  }
}

export const breakpointHandlers: RequestHandlers = {
  setBreakpoints: (context, response, args: DebugProtocol.SetBreakpointsArguments) =>
    answer(context, response, async () => {
      if (!args?.source) throw new Error("setBreakpoints needs a 'source' argument with the file's path.");
      return { breakpoints: await context.breakpoints.setSourceBreakpoints(context.agent, args) };
    }),
  setFunctionBreakpoints: (context, response, args: DebugProtocol.SetFunctionBreakpointsArguments) =>
    answer(context, response, async () => ({
      breakpoints: await context.breakpoints.setFunctionBreakpoints(context.agent, args ?? { breakpoints: [] }),
    })),
  setExceptionBreakpoints: (context, response, args: DebugProtocol.SetExceptionBreakpointsArguments) =>
    answer(context, response, async () => (await context.breakpoints.setExceptionBreakpoints(context.agent, args ?? { filters: [] })) ?? {}),
  breakpointLocations: forwardUnchanged,
};
