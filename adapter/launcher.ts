/**
 * Starting the debuggee under the agent: open the token-guarded loopback listener, start
 * `python dapper_launcher.py …` (as a child process, or in the client's terminal through
 * `runInTerminal`), and wait for the agent's hello — or report clearly why it never came.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { AgentListener, type AgentChannel } from './agentChannel';
import { launcherPath } from './agentPaths';
import { DebuggeeProcess } from './debuggeeProcess';
import type { ResolvedLaunch } from './launchArguments';
import { killProcessTree } from './processTree';

export const HELLO_TIMEOUT_MS = 30_000;

/** How long a started program's agent has to say hello; `DAPPER_AGENT_START_TIMEOUT_MS` shortens it (tests). */
export function helloTimeoutMs(): number {
  const override = Number(process.env.DAPPER_AGENT_START_TIMEOUT_MS);
  return Number.isFinite(override) && override > 0 ? override : HELLO_TIMEOUT_MS;
}

export class LaunchError extends Error {}

/** The agent never said hello in time (the started processes have been ended). */
class HelloTimeout extends LaunchError {}

export interface StartedDebuggee {
  readonly agent: AgentChannel;
  /** Undefined when the program runs in the client's terminal. */
  readonly process: DebuggeeProcess | undefined;
}

/** Runs the client's `runInTerminal` reverse request; resolves with its response. */
export type RunInTerminal = (
  args: DebugProtocol.RunInTerminalRequestArguments,
) => Promise<DebugProtocol.RunInTerminalResponse>;

function launcherArgv(agentDir: string, port: number, launch: ResolvedLaunch): string[] {
  const target = launch.target.kind === 'module' ? ['-m', launch.target.module] : [launch.target.program];
  return [
    ...launch.interpreterOptions,
    launcherPath(agentDir),
    '--host', '127.0.0.1', '--port', String(port),
    '--', ...target, ...launch.args,
  ];
}

function agentEnvironment(token: string): Record<string, string> {
  return { DAPPER_AGENT_TOKEN: token, PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8' };
}

function timeout(ms: number, message: string): { promise: Promise<never>; cancel: () => void } {
  let timer: NodeJS.Timeout;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HelloTimeout(message)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

/** What was ended because the agent never connected: the started process and its descendants. */
function endedProcesses(pid: number | undefined, descendants: readonly number[]): string {
  if (pid === undefined) return '';
  const others = descendants.length === 0 ? '' : descendants.length === 1
    ? ` and the process it had started (${descendants[0]})`
    : ` and the ${descendants.length} processes it had started (${descendants.join(', ')})`;
  return ` The started process (${pid})${others} ${descendants.length === 0 ? 'was' : 'were'} ended.`;
}

/**
 * Spawns the debuggee and resolves once its agent said hello. `onProcess` receives the
 * process right away, so its output can be forwarded while the agent starts.
 */
export async function startDebuggee(
  agentDir: string,
  launch: ResolvedLaunch,
  onProcess: (process: DebuggeeProcess) => void,
): Promise<StartedDebuggee> {
  const listener = await AgentListener.open();
  const debuggee = new DebuggeeProcess({
    python: launch.python,
    argv: launcherArgv(agentDir, listener.port, launch),
    cwd: launch.cwd,
    env: { ...launch.env, ...agentEnvironment(listener.token) },
  });
  onProcess(debuggee);
  const diedFirst = debuggee.exited.then((exit) => {
    if (debuggee.spawnError) {
      throw new LaunchError(`Could not start the Python interpreter ${launch.python}: ${debuggee.spawnError.message}`);
    }
    const stderr = debuggee.stderrText();
    throw new LaunchError(
      `Python (${launch.python}) exited with code ${exit.exitCode} before the debugger could attach.` +
        (stderr ? `\n${stderr}` : ' It printed nothing on stderr.'),
    );
  });
  const limitMs = helloTimeoutMs();
  const limit = timeout(
    limitMs,
    `The Python agent did not connect within ${seconds(limitMs)} (interpreter ${launch.python}): the interpreter did not run ` +
      `Dapper's launcher, or hung before it could connect. Check that "python" names a Python 3.9+ interpreter (a wrapper script must run its arguments).`,
  );
  try {
    const agent = await Promise.race([listener.waitForAgent(), diedFirst, limit.promise]);
    return { agent, process: debuggee };
  } catch (error) {
    // Whatever the program started must not outlive a launch that failed.
    const descendants = debuggee.pid !== undefined && !debuggee.hasExited ? killProcessTree(debuggee.pid) : [];
    await debuggee.kill();
    if (error instanceof HelloTimeout) {
      const stderr = debuggee.stderrText();
      throw new LaunchError(`${error.message}${endedProcesses(debuggee.pid, descendants)}${stderr ? `\n${stderr}` : ''}`);
    }
    throw error;
  } finally {
    limit.cancel();
    listener.close();
    diedFirst.catch(() => undefined);
  }
}

/** Starts the debuggee in the client's terminal and resolves once its agent said hello. */
export async function startDebuggeeInTerminal(
  agentDir: string,
  launch: ResolvedLaunch,
  runInTerminal: RunInTerminal,
): Promise<StartedDebuggee> {
  const listener = await AgentListener.open();
  const env: Record<string, string | null> = { ...launch.envOverrides, ...agentEnvironment(listener.token) };
  const limitMs = helloTimeoutMs();
  const limit = timeout(limitMs, `The Python agent did not connect within ${seconds(limitMs)} after starting it in the terminal.`);
  let started: number | undefined;
  try {
    const answer = await runInTerminal({
      kind: 'integrated',
      title: `Python: ${launch.displayName}`,
      cwd: launch.cwd,
      args: [launch.python, ...launcherArgv(agentDir, listener.port, launch)],
      env,
    });
    if (!answer.success) {
      throw new LaunchError(`The client could not start the program in a terminal: ${answer.message ?? 'no reason given'}.`);
    }
    started = answer.body?.processId;
    const agent = await Promise.race([listener.waitForAgent(), limit.promise]);
    return { agent, process: undefined };
  } catch (error) {
    if (!(error instanceof HelloTimeout) || started === undefined) throw error;
    const descendants = killProcessTree(started);
    throw new LaunchError(`${error.message}${endedProcesses(started, descendants)}`);
  } finally {
    limit.cancel();
    listener.close();
  }
}
