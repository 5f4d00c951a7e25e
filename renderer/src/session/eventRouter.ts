/** Turns each DAP event of the launched program's session into store updates and follow-up requests. */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { HOT_RELOAD_RESULT_EVENT, PYTHON_INFO_EVENT, type HotReloadResultEventBody } from '../../../common/hotReload';
import { errorText, type DapClient } from '../dap/dapClient';
import type { DebugSession } from './debugSession';
import { continueExecution } from './execution';
import { refreshStoppedViews } from './frameViews';
import { recordHotReloadResult } from './applyChanges';
import { useBreakpointStore } from '../stores/breakpointStore';
import { useConsoleStore, type ConsoleCategory } from '../stores/consoleStore';
import { baseName, useEditorStore } from '../stores/editorStore';
import { notify } from '../stores/noticeStore';
import { useSessionStore, type PythonInfo } from '../stores/sessionStore';
import { useProcessStore } from '../stores/processStore';
import { useVariablesStore } from '../stores/variablesStore';
import { clearTemporaryBreakpoint, forgetTemporaryBreakpoint } from './cursorActions';

/** Custom event with the debuggee's interpreter (the agent's hello): {version, implementation, executable}. */
export const PYTHON_INFO_EVENTS: readonly string[] = [PYTHON_INFO_EVENT];

export function routeEvent(debugSession: DebugSession, event: DebugProtocol.Event): void {
  const session = useSessionStore.getState();
  const client = debugSession.client;
  switch (event.event) {
    case 'initialized':
      void configure(debugSession);
      break;
    case 'stopped': {
      const body = (event as DebugProtocol.StoppedEvent).body;
      if (session.continuePastEntry) {
        // F5 pressed while starting asked to run until a breakpoint: a breakpoint stop fulfils it.
        session.setContinuePastEntry(false);
        if (body.reason === 'entry') {
          session.setStopped(body.threadId ?? null, body.reason, body.description ?? body.text ?? null);
          void continueExecution();
          break;
        }
      }
      session.setStopped(body.threadId ?? null, body.reason, body.description ?? body.text ?? null);
      // The program stopped: its frame is selected, as VS Code focuses the session that stopped.
      useProcessStore.getState().setFocus(null);
      void refreshStoppedViews(body.threadId ?? null);
      void clearTemporaryBreakpoint();
      break;
    }
    case 'continued': {
      const body = (event as DebugProtocol.ContinuedEvent).body;
      if (body.allThreadsContinued !== false || body.threadId === session.selectedThreadId) {
        session.setRunning();
        if (!useProcessStore.getState().focus) useVariablesStore.getState().reset();
      }
      break;
    }
    case 'thread':
      if (session.status === 'stopped') void refreshThreads(client);
      break;
    case 'output':
      routeOutput((event as DebugProtocol.OutputEvent).body);
      break;
    case 'breakpoint': {
      const body = (event as DebugProtocol.BreakpointEvent).body;
      const removed = useBreakpointStore.getState().applyBreakpointEvent(body.reason, body.breakpoint);
      if (removed) {
        notify('warning', `The breakpoint at ${baseName(removed.path)}:${removed.line} was removed: its line no longer exists.`);
      }
      break;
    }
    case 'loadedSource': {
      const body = (event as DebugProtocol.LoadedSourceEvent).body;
      if (body.source.path && body.reason !== 'removed') useEditorStore.getState().markLoaded([body.source.path]);
      break;
    }
    case 'invalidated':
      if (session.status === 'stopped') void refreshStoppedViews(null);
      break;
    case 'capabilities': {
      const body = (event as DebugProtocol.CapabilitiesEvent).body;
      debugSession.addCapabilities(body.capabilities);
      session.setCapabilities(debugSession.capabilities);
      break;
    }
    case 'exited':
      useSessionStore.setState({ exitCode: (event as DebugProtocol.ExitedEvent).body.exitCode });
      break;
    case 'terminated':
      forgetTemporaryBreakpoint();
      void debugSession.dispose();
      break;
    case HOT_RELOAD_RESULT_EVENT:
      recordHotReloadResult(event.body as HotReloadResultEventBody);
      break;
    default:
      if (PYTHON_INFO_EVENTS.includes(event.event)) session.setPythonInfo(readPythonInfo(event.body));
      break;
  }
}

/** Answer to `initialized`: breakpoints and exception filters, then configurationDone. */
async function configure(debugSession: DebugSession): Promise<void> {
  try {
    await debugSession.configure();
    if (useSessionStore.getState().status === 'starting') useSessionStore.getState().setRunning();
  } catch (error) {
    notify('error', `The debugger did not accept the configuration: ${errorText(error)}`);
  }
}

function routeOutput(body: DebugProtocol.OutputEvent['body']): void {
  const category = consoleCategory(body.category);
  if (category) useConsoleStore.getState().append(category, body.output);
}

export function consoleCategory(category: string | undefined): ConsoleCategory | null {
  switch (category) {
    case 'stdout':
      return 'stdout';
    case 'stderr':
      return 'stderr';
    case 'important':
      return 'important';
    case 'telemetry':
      return null;
    default:
      return 'console';
  }
}

function readPythonInfo(body: unknown): PythonInfo {
  const record = (body ?? {}) as Record<string, unknown>;
  const nested = (record.python ?? record) as Record<string, unknown>;
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  return {
    version: text(nested.version),
    executable: text(nested.executable),
    implementation: text(nested.implementation),
  };
}

async function refreshThreads(client: DapClient): Promise<void> {
  try {
    const { threads } = await client.request('threads');
    useSessionStore.getState().setThreads(threads);
  } catch {
    // The thread list refreshes again on the next stop.
  }
}
