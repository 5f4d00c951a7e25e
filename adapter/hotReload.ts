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
  type HotReloadFailureBody,
  type HotReloadResponseBody,
  type HotReloadResultEventBody,
} from '../common/hotReload';
import { requestTimeoutFor } from './agentChannel';
import { NOT_RUNNING_MESSAGE } from './forwarding';
import type { RequestHandler } from './sessionContext';

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

export const hotReloadHandler: RequestHandler<typeof HOT_RELOAD_REQUEST> = async (context, response, args) => {
  const path = args?.source?.path;
  if (typeof path !== 'string' || path === '') {
    context.sendError(response, 'Apply Changes needs "source": { "path": "<file>" }; nothing was applied.');
    return;
  }
  if (!context.agent) {
    context.sendError(response, NOT_RUNNING_MESSAGE);
    return;
  }
  if (context.execution.reloadInProgress) {
    context.sendError(response, 'Apply Changes is already running; wait for it to finish, then apply again.');
    return;
  }
  context.execution.reloadInProgress = true;
  const started = performance.now();
  try {
    let answer;
    try {
      const timeoutMs = requestTimeoutFor('hotReload');
      answer = await context.agent.request('hotReload', { path, options: args?.options ?? {}, deadlineMs: agentDeadlineMs(timeoutMs) }, timeoutMs);
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
