/**
 * Apply Changes orchestration (`dapper/hotReload`, docs/protocol.md). The agent patches the
 * program, stopped or running; the adapter allows one apply at a time (continue and the
 * steps are refused meanwhile, see stepping.ts), remembers where breakpoints moved, and
 * tells the client what changed:
 * `loadedSource` (changed), `invalidated` (stacks, variables) and `dapper/hotReloadResult`.
 */
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Event } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  HOT_RELOAD_REQUEST,
  HOT_RELOAD_RESULT_EVENT,
  PREPARE_APPLY_REQUEST,
  type DiagnosticCode,
  type HotReloadDiagnostic,
  type HotReloadFailureBody,
  type HotReloadResponseBody,
  type HotReloadResultEventBody,
} from '../common/hotReload';
import type { AgentHotReloadArguments, AgentPrepareApplyArguments } from '../common/protocol';
import { requestTimeoutFor } from './agentChannel';
import { forwardToAgent, NOT_RUNNING_MESSAGE } from './forwarding';
import { hotReloadArgumentsProblem } from './requestArguments';
import type { RequestHandler, SessionContext } from './sessionContext';

/**
 * The agent cancels an apply that is not ready to switch the code by this time, leaving
 * enough of the adapter's own timeout for the switch (milliseconds, never blocking) and the
 * answer: a client told that an apply failed never sees it land later.
 */
export function agentDeadlineMs(timeoutMs: number): number {
  return Math.max(timeoutMs - Math.min(5_000, timeoutMs / 4), timeoutMs / 2);
}

/** The body of an apply that changed nothing (refused, or the agent never answered). */
function nothingApplied(path: string, diagnostics: HotReloadResponseBody['diagnostics'] = []): HotReloadResponseBody {
  return {
    module: '',
    path,
    patchedFunctions: 0,
    patchedClasses: 0,
    addedDefinitions: 0,
    pendingDefinitions: 0,
    removedDefinitions: 0,
    reboundFrameLocals: 0,
    staleFrames: [],
    warnings: [],
    diagnostics,
  };
}

/**
 * A refusal by the adapter itself, told the way the agent tells its own: an error response
 * whose body has a diagnostic with a code, then `dapper/hotReloadResult` with success false.
 */
function refuse(
  context: SessionContext,
  response: DebugProtocol.Response,
  code: DiagnosticCode,
  path: string,
  message: string,
): void {
  const diagnostics: HotReloadDiagnostic[] = [{ code, severity: 'error', message, path, line: 1 }];
  context.sendError(response, message, { diagnostics });
  const result: HotReloadResultEventBody = { ...nothingApplied(path, diagnostics), success: false, durationMs: 0 };
  context.sendEvent(new Event(HOT_RELOAD_RESULT_EVENT, result));
}

export const hotReloadHandler: RequestHandler<typeof HOT_RELOAD_REQUEST> = async (context, response, args) => {
  // Checked here rather than before dispatch (requestArguments.ts) so the refusal also
  // sends dapper/hotReloadResult.
  const problem = hotReloadArgumentsProblem(args);
  const requestedPath = (args as { source?: { path?: unknown } } | undefined)?.source?.path;
  const path = typeof requestedPath === 'string' ? requestedPath : '';
  if (requestedPath === undefined || requestedPath === '' || problem) {
    const message = problem && requestedPath !== undefined && requestedPath !== ''
      ? problem
      : "Apply Changes needs the file's path in \"source\": { \"path\": \"<file>\" } (source.path); nothing was applied.";
    refuse(context, response, 'invalid-request', path, message);
    return;
  }
  if (!context.agent) {
    refuse(context, response, 'not-running', path, `${NOT_RUNNING_MESSAGE} Nothing was applied.`);
    return;
  }
  if (context.execution.reloadInProgress) {
    refuse(context, response, 'reload-in-progress', path, 'Apply Changes is already running; wait for it to finish, then apply again.');
    return;
  }
  context.execution.reloadInProgress = true;
  const started = performance.now();
  try {
    let answer;
    try {
      const timeoutMs = requestTimeoutFor('hotReload');
      const agentArguments: AgentHotReloadArguments = { path, options: args?.options ?? {}, deadlineMs: agentDeadlineMs(timeoutMs) };
      answer = await context.agent.request('hotReload', agentArguments, timeoutMs, { whileRunning: !context.execution.stopped });
    } catch (error) {
      const message = (error as Error).message;
      context.sendError(response, message, { diagnostics: [] });
      const result: HotReloadResultEventBody = {
        ...nothingApplied(path),
        success: false,
        durationMs: performance.now() - started,
      };
      context.sendEvent(new Event(HOT_RELOAD_RESULT_EVENT, result));
      return;
    }
    let body: HotReloadResponseBody;
    if (answer.success) {
      // The agent's body is complete: its tests check it against common/protocol/dapper.schema.json.
      body = answer.body as HotReloadResponseBody;
      context.breakpoints.recordRemaps(body.breakpointRemaps ?? []);
      response.body = body;
      context.sendResponse(response);
      context.sendEvent(new Event('loadedSource', { reason: 'changed', source: { name: basename(path), path } }));
      if (context.clientCapabilities.supportsInvalidatedEvent) {
        context.sendEvent(new Event('invalidated', { areas: ['stacks', 'variables'] } as DebugProtocol.InvalidatedEvent['body']));
      }
    } else {
      const failure = answer.body as HotReloadFailureBody | undefined;
      body = nothingApplied(path, failure?.diagnostics ?? []);
      context.sendError(response, answer.message ?? 'Apply Changes failed; nothing was applied.', { diagnostics: body.diagnostics });
    }
    const result: HotReloadResultEventBody = { ...body, success: answer.success, durationMs: performance.now() - started };
    context.sendEvent(new Event(HOT_RELOAD_RESULT_EVENT, result));
  } finally {
    context.execution.reloadInProgress = false;
  }
};

/**
 * `dapper/prepareApply` {source, active}: the client's hint that an apply of the file may come
 * soon (its arguments' shape is checked before dispatch). The agent lowers the program's GIL
 * switch interval meanwhile so that it takes the apply without waiting behind busy threads.
 */
export const prepareApplyHandler: RequestHandler<typeof PREPARE_APPLY_REQUEST> = async (context, response, args) => {
  const agentArguments: AgentPrepareApplyArguments = { path: args.source.path, active: args.active };
  await forwardToAgent(context, response, agentArguments, 'prepareApply');
};
