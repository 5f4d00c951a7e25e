/** What the adapter tells a client it supports, in the `initialize` response. */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DapperCapabilities } from '../common/hotReload';

export const EXCEPTION_FILTERS: DebugProtocol.ExceptionBreakpointsFilter[] = [
  {
    filter: 'raised',
    label: 'Raised Exceptions',
    description: 'Stop whenever an exception is raised, even if the program catches it.',
    default: false,
  },
  {
    filter: 'uncaught',
    label: 'Uncaught Exceptions',
    description: 'Stop when an exception is not caught and would end the program.',
    default: true,
  },
  {
    filter: 'userUnhandled',
    label: 'User Uncaught Exceptions',
    description: 'Stop when an exception leaves your code into library code that does not handle it.',
    default: false,
  },
];

export function adapterCapabilities(): DebugProtocol.Capabilities & DapperCapabilities {
  return {
    supportsConfigurationDoneRequest: true,
    supportsFunctionBreakpoints: true,
    supportsConditionalBreakpoints: true,
    supportsHitConditionalBreakpoints: true,
    supportsLogPoints: true,
    supportsBreakpointLocationsRequest: true,
    exceptionBreakpointFilters: EXCEPTION_FILTERS,
    supportsExceptionInfoRequest: true,
    supportsSetVariable: true,
    supportsSetExpression: true,
    supportsEvaluateForHovers: true,
    supportsClipboardContext: true,
    supportsCompletionsRequest: true,
    completionTriggerCharacters: ['.', '['],
    supportsGotoTargetsRequest: true,
    supportsRestartFrame: true,
    supportsRestartRequest: true,
    supportsTerminateRequest: true,
    supportTerminateDebuggee: true,
    supportsDelayedStackTraceLoading: true,
    supportsLoadedSourcesRequest: true,
    supportsHotReload: true,
  };
}
