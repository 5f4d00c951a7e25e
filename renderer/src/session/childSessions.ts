/**
 * The program's child processes (docs/protocol.md, "Child processes"): the launched session's
 * `startDebugging` requests become sessions of their own, attached with the configuration the
 * adapter gave, configured with the app's breakpoints and exception filters. Each process is
 * continued, paused and stopped on its own; one stopped at a breakpoint leaves the others
 * running; one that ends is removed and its exit code written to the Debug Console; the
 * launched program's end ends them all.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { CHILD_ATTACH_KEY, type ChildAttachArguments } from '../../../common/childProcesses';
import { HOT_RELOAD_REQUEST, type HotReloadResponseBody } from '../../../common/hotReload';
import { getBridge } from '../bridge/bridgeAccess';
import { DapClient, describeFailure, errorText } from '../dap/dapClient';
import { useBreakpointStore } from '../stores/breakpointStore';
import { useConsoleStore } from '../stores/consoleStore';
import { notify } from '../stores/noticeStore';
import { useProcessStore } from '../stores/processStore';
import { breakpointArguments } from './breakpointSync';
import { childClient, childClients, forgetChildClient, registerChildClient } from './childClients';

/** Makes `root` answer startDebugging by starting a session for each child process. */
export function followChildProcesses(root: DapClient, initializeArguments: DebugProtocol.InitializeRequestArguments): void {
  root.onReverseRequest('startDebugging', async (args) => {
    const request = args as DebugProtocol.StartDebuggingRequestArguments;
    const configuration = request?.configuration as unknown as ChildAttachArguments | undefined;
    if (request?.request !== 'attach' || !configuration || !(CHILD_ATTACH_KEY in configuration)) {
      return 'Dapper Desktop starts sessions only for child processes of the debugged program.';
    }
    void startChildSession(configuration, initializeArguments);
    return undefined;
  });
}

async function startChildSession(configuration: ChildAttachArguments, initializeArguments: DebugProtocol.InitializeRequestArguments): Promise<void> {
  const child = configuration[CHILD_ATTACH_KEY];
  const bridge = getBridge();
  let client: DapClient;
  try {
    const { sessionId } = await bridge.invoke('dap.start', { attach: configuration as unknown as Record<string, unknown> });
    client = new DapClient(bridge, sessionId);
  } catch (error) {
    useConsoleStore.getState().append('error', `Child process ${child.pid} could not be debugged: ${errorText(error)}\n`);
    return;
  }
  registerChildClient(client);
  useProcessStore.getState().add({
    sessionId: client.sessionId,
    pid: child.pid,
    parentPid: child.parentPid,
    name: configuration.name,
    commandLine: child.commandLine,
    status: 'starting',
    stopReason: null,
    stoppedThreadId: null,
    threads: [],
    frames: [],
  });
  let exitCode: number | null = null;
  client.onEvent((event) => {
    if (event.event === 'exited') exitCode = (event as DebugProtocol.ExitedEvent).body.exitCode;
    else if (event.event === 'terminated') void endChildSession(client, exitCode);
    else void routeChildEvent(client, event);
  });
  client.onClosed(() => removeChild(client.sessionId));
  try {
    await client.request('initialize', { ...initializeArguments, supportsStartDebuggingRequest: false });
    await client.request('attach', configuration);
  } catch (error) {
    useConsoleStore.getState().append('error', `Child process ${child.pid} could not be debugged: ${errorText(error)}\n`);
    await endChildSession(client, null);
  }
}

async function routeChildEvent(client: DapClient, event: DebugProtocol.Event): Promise<void> {
  const processes = useProcessStore.getState();
  switch (event.event) {
    case 'initialized': {
      const paths = new Set(useBreakpointStore.getState().breakpoints.map((bp) => bp.path));
      const filters = useBreakpointStore.getState().exceptionFilters.filter((item) => item.enabled).map((item) => item.filter);
      try {
        await Promise.all([...paths].map((path) => client.request('setBreakpoints', breakpointArguments(path))));
        await client.request('setExceptionBreakpoints', { filters });
        await client.request('configurationDone');
        processes.update(client.sessionId, { status: 'running' });
      } catch (error) {
        notify('error', `A child process could not be configured: ${errorText(error)}`);
      }
      return;
    }
    case 'stopped': {
      const body = (event as DebugProtocol.StoppedEvent).body;
      processes.update(client.sessionId, { status: 'stopped', stopReason: body.reason, stoppedThreadId: body.threadId ?? null });
      await refreshChildStack(client, body.threadId ?? null);
      return;
    }
    case 'continued':
      processes.update(client.sessionId, { status: 'running', stopReason: null, stoppedThreadId: null, frames: [] });
      return;
    default:
      return;
  }
}

async function refreshChildStack(client: DapClient, threadId: number | null): Promise<void> {
  try {
    const { threads } = await client.request('threads');
    const thread = threadId ?? threads[0]?.id ?? null;
    const frames = thread === null ? [] : (await client.request('stackTrace', { threadId: thread, startFrame: 0, levels: 50 })).stackFrames;
    useProcessStore.getState().update(client.sessionId, { threads, frames, stoppedThreadId: thread });
  } catch {
    // The process went on or ended meanwhile; its next event says which.
  }
}

async function endChildSession(client: DapClient, exitCode: number | null): Promise<void> {
  const view = useProcessStore.getState().processes.find((item) => item.sessionId === client.sessionId);
  if (view) {
    useConsoleStore
      .getState()
      .append('console', `Process ${view.pid} (${view.name}) ${exitCode === null ? 'ended' : `exited with code ${exitCode}`}\n`);
  }
  removeChild(client.sessionId);
  client.close('terminated');
  await getBridge()
    .invoke('dap.dispose', client.sessionId)
    .catch(() => undefined);
}

function removeChild(sessionId: string): void {
  forgetChildClient(sessionId);
  useProcessStore.getState().remove(sessionId);
}

export async function continueProcess(sessionId: string): Promise<void> {
  const client = childClient(sessionId);
  const view = useProcessStore.getState().processes.find((item) => item.sessionId === sessionId);
  if (!client || !view) return;
  useProcessStore.getState().update(sessionId, { status: 'running', stopReason: null, frames: [] });
  await client.request('continue', { threadId: view.stoppedThreadId ?? view.threads[0]?.id ?? 1 }).catch((error: unknown) => {
    notify('error', `Continue failed in process ${view.pid}: ${errorText(error)}`);
  });
}

export async function pauseProcess(sessionId: string): Promise<void> {
  const client = childClient(sessionId);
  if (!client) return;
  const threads = await client.request('threads').catch(() => ({ threads: [] as DebugProtocol.Thread[] }));
  await client.request('pause', { threadId: threads.threads[0]?.id ?? 1 }).catch((error: unknown) => {
    notify('error', `Pause failed: ${errorText(error)}`);
  });
}

export async function stopProcess(sessionId: string): Promise<void> {
  const client = childClient(sessionId);
  if (!client) return;
  await client.request('terminate').catch(() => undefined);
}

export async function continueAllProcesses(): Promise<void> {
  const stopped = useProcessStore.getState().processes.filter((item) => item.status === 'stopped');
  await Promise.all(stopped.map((item) => continueProcess(item.sessionId)));
}

export async function pauseAllProcesses(): Promise<void> {
  const running = useProcessStore.getState().processes.filter((item) => item.status === 'running');
  await Promise.all(running.map((item) => pauseProcess(item.sessionId)));
}

/** The launched program ended or was stopped: its children's sessions go too (the adapter ended the processes). */
export async function endAllChildSessions(): Promise<void> {
  await Promise.all(childClients().map((client) => endChildSession(client, null)));
  useProcessStore.getState().clear();
}

/** What Apply Changes did in one child process. */
export interface ChildApplyOutcome {
  readonly pid: number;
  readonly success: boolean;
  readonly message: string;
  readonly body: HotReloadResponseBody | undefined;
}

/** Applies the saved `path` in every child process, stopped or running (the agent knows which loaded it). */
export async function applyInChildProcesses(path: string): Promise<ChildApplyOutcome[]> {
  const views = useProcessStore.getState().processes.filter((item) => item.status !== 'starting');
  return Promise.all(
    views.map(async (view): Promise<ChildApplyOutcome> => {
      const client = childClient(view.sessionId);
      if (!client) return { pid: view.pid, success: false, message: 'the process has ended', body: undefined };
      try {
        const response = await client.requestRaw(HOT_RELOAD_REQUEST, { source: { path } });
        const body = response.body as HotReloadResponseBody | undefined;
        if (view.status === 'stopped') await refreshChildStack(client, view.stoppedThreadId);
        return { pid: view.pid, success: response.success, message: response.success ? '' : describeFailure(response), body };
      } catch (error) {
        return { pid: view.pid, success: false, message: errorText(error), body: undefined };
      }
    }),
  );
}
