/**
 * The table of DAP requests served by feature files (everything except lifecycle, which
 * the session handles itself). Reading this list answers "where is X handled?".
 */
import { HOT_RELOAD_REQUEST, PREPARE_APPLY_REQUEST, SEND_INPUT_REQUEST } from '../common/hotReload';
import { breakpointHandlers } from './breakpointRequests';
import { evaluationHandlers } from './evaluation';
import { hotReloadHandler, prepareApplyHandler } from './hotReload';
import { loadedSourcesHandler, type LoadedSourceTracker } from './loadedSources';
import { sendInputHandler } from './outputAndInput';
import type { CheckedRequestHandler, RequestHandlers } from './sessionContext';
import { steppingHandlers } from './stepping';
import { threadsAndStackHandlers } from './threadsAndStack';
import { variablesHandlers } from './variables';

export function featureHandlers(loadedSources: LoadedSourceTracker): ReadonlyMap<string, CheckedRequestHandler> {
  const table: RequestHandlers = {
    ...breakpointHandlers,
    ...steppingHandlers,
    ...threadsAndStackHandlers,
    ...variablesHandlers,
    ...evaluationHandlers,
    loadedSources: loadedSourcesHandler(loadedSources),
    [SEND_INPUT_REQUEST]: sendInputHandler,
    [HOT_RELOAD_REQUEST]: hotReloadHandler,
    [PREPARE_APPLY_REQUEST]: prepareApplyHandler,
  };
  // Each handler receives its own command's arguments: the session checks them first.
  return new Map(Object.entries(table) as Array<[string, CheckedRequestHandler]>);
}
