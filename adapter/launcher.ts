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

export const HELLO_TIMEOUT_MS = 30_000;

export class LaunchError extends Error {}

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
    timer = setTimeout(() => reject(new LaunchError(message)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
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
  const limit = timeout(HELLO_TIMEOUT_MS, `The Python agent did not connect within ${HELLO_TIMEOUT_MS / 1000} s (interpreter ${launch.python}).`);
  try {
    const agent = await Promise.race([listener.waitForAgent(), diedFirst, limit.promise]);
    return { agent, process: debuggee };
  } catch (error) {
    await debuggee.kill();
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
  const limit = timeout(HELLO_TIMEOUT_MS, `The Python agent did not connect within ${HELLO_TIMEOUT_MS / 1000} s after starting it in the terminal.`);
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
    const agent = await Promise.race([listener.waitForAgent(), limit.promise]);
    return { agent, process: undefined };
  } finally {
    limit.cancel();
    listener.close();
  }
}
