/**
 * One run of the program under the agent (a restart creates a new run): how it starts
 * (child process or the client's terminal), where its output goes, how it ends (asked,
 * then killed), and the exit code it ended with.
 */
import { OutputEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { AgentChannel, AgentEvent } from './agentChannel';
import type { DebuggeeProcess } from './debuggeeProcess';
import type { ResolvedLaunch } from './launchArguments';
import { startDebuggee, startDebuggeeInTerminal, type RunInTerminal } from './launcher';
import { log } from './log';
import { forwardPipe, type OutputBackpressure } from './outputAndInput';

/** How long the program gets to exit after the agent agreed to end it, before a kill. */
const TERMINATE_GRACE_MS = 3000;
/** How long the agent gets to answer `terminate`/`disconnect`. */
const AGENT_STOP_REQUEST_MS = 2000;
/** How long `exited` waits for the agent's last messages after the process ended. */
const LAST_MESSAGES_MS = 1000;

export interface RunHost {
  readonly clientCapabilities: DebugProtocol.InitializeRequestArguments;
  readonly backpressure: OutputBackpressure | undefined;
  sendEvent(event: DebugProtocol.Event): void;
  runInTerminal: RunInTerminal;
  onAgentEvent(run: DebuggeeRun, event: AgentEvent): void;
}

/** What configurationDone tells the agent. */
export type RunSettings = Pick<ResolvedLaunch, 'stopOnEntry' | 'justMyCode'> & { readonly restartFrame?: boolean };

export class DebuggeeRun {
  agentOpen = true;
  /** The program was running before the adapter attached to it: it outlives the session. */
  attached = false;
  private configured = false;
  /** Set when the adapter ends this run itself (restart, disconnect): no exited/terminated. */
  quiet = false;
  /** Left running after `disconnect` with terminateDebuggee false: output no longer forwarded. */
  detached = false;
  /** Exit code the agent announced; the only source when the program runs in a terminal. */
  agentExitCode: number | undefined;
  /**
   * Resolves with the exit code once the program has ended and its last output arrived;
   * undefined for a process the adapter did not start that ended without saying (a crash).
   */
  readonly finished: Promise<number | undefined>;
  /** A process the adapter did not start but may end (a child process of the program). */
  private killablePid: number | undefined;

  private constructor(
    readonly agent: AgentChannel,
    readonly process: DebuggeeProcess | undefined,
    readonly launch: RunSettings,
    host: RunHost,
    exitCodeIfUnreported: number | undefined = 0,
  ) {
    agent.on('event', (event: AgentEvent) => {
      if (!this.quiet && !this.detached) host.onAgentEvent(this, event);
    });
    const agentClosed = new Promise<void>((resolve) => agent.once('close', resolve)).then(() => {
      this.agentOpen = false;
    });
    if (process) {
      this.finished = process.exited.then(async (exit) => {
        await Promise.race([agentClosed, new Promise((resolve) => setTimeout(resolve, LAST_MESSAGES_MS))]);
        agent.close();
        return exit.exitCode;
      });
    } else {
      this.finished = agentClosed.then(() => this.agentExitCode ?? exitCodeIfUnreported);
    }
  }

  /**
   * A run on an agent that is already connected: a child process of the program (`pid`
   * may be ended by force when its agent does not answer).
   */
  static forChildProcess(agent: AgentChannel, settings: RunSettings, host: RunHost): DebuggeeRun {
    const run = new DebuggeeRun(agent, undefined, settings, host, undefined);
    run.killablePid = agent.hello.pid;
    return run;
  }

  static async start(agentDir: string, launch: ResolvedLaunch, host: RunHost): Promise<DebuggeeRun> {
    const wantsTerminal = launch.console !== 'internalConsole';
    if (wantsTerminal && host.clientCapabilities.supportsRunInTerminalRequest) {
      const started = await startDebuggeeInTerminal(agentDir, launch, host.runInTerminal);
      return new DebuggeeRun(started.agent, undefined, launch, host);
    }
    if (wantsTerminal) {
      host.sendEvent(
        new OutputEvent(
          `This client cannot open a terminal (no runInTerminal support), so the program's output and input use the Debug Console instead of "${launch.console}".\n`,
          'console',
        ),
      );
    }
    // Assigned once the agent is connected; the output sink below, called before that, reads it.
    // eslint-disable-next-line prefer-const
    let run: DebuggeeRun | undefined;
    const started = await startDebuggee(agentDir, launch, (process) => {
      // Forward from the first byte (start-up errors included), until the run is detached.
      const sink = (category: 'stdout' | 'stderr', text: string) => {
        if (!run?.detached) host.sendEvent(new OutputEvent(text, category));
      };
      forwardPipe(process.stdout, 'stdout', sink, host.backpressure);
      forwardPipe(process.stderr, 'stderr', sink, host.backpressure);
    });
    run = new DebuggeeRun(started.agent, started.process, launch, host);
    return run;
  }

  /** A program that was already running, reached through its agent (attach). */
  static attachedTo(agent: AgentChannel, settings: RunSettings, host: RunHost): DebuggeeRun {
    const run = new DebuggeeRun(agent, undefined, settings, host);
    run.attached = true;
    return run;
  }

  /**
   * Ends the program: asks the agent and allows TERMINATE_GRACE_MS for the exit; an agent
   * that does not answer (wedged, or the program is stuck in native code) means an
   * immediate kill, so Stop never waits for nothing. Resolves once the program is gone.
   */
  async end(): Promise<void> {
    let agentAgreed = false;
    if (this.agentOpen) {
      agentAgreed = await this.agent.request('terminate', { terminateDebuggee: true }, AGENT_STOP_REQUEST_MS).then(
        (answer) => answer.success,
        (error: Error) => {
          log(`terminate: ${error.message}`);
          return false;
        },
      );
    }
    if (this.process) {
      if (agentAgreed) await this.process.terminate(TERMINATE_GRACE_MS);
      else await this.process.kill();
    } else if (this.killablePid !== undefined) {
      const agentClosed = new Promise<void>((resolve) => (this.agentOpen ? this.agent.once('close', resolve) : resolve()));
      const graceMs = agentAgreed ? TERMINATE_GRACE_MS : 0;
      const timedOut = await Promise.race([agentClosed.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), graceMs))]);
      if (timedOut) this.killChildProcess();
      this.agent.close();
    } else {
      this.agent.close();
    }
  }

  private killChildProcess(): void {
    try {
      process.kill(this.killablePid!, 'SIGKILL');
    } catch (error) {
      log(`could not end process ${this.killablePid}: ${(error as Error).message}`);
    }
  }

  /**
   * Lets the program run (agent `configurationDone`) once breakpoints are in place. A second
   * call is answered without asking the agent again: the program runs already.
   */
  async configure(extra: Record<string, unknown> = {}): Promise<void> {
    if (this.configured) return;
    this.configured = true;
    const answer = await this.agent.request('configurationDone', {
      stopOnEntry: this.launch.stopOnEntry,
      justMyCode: this.launch.justMyCode,
      restartFrame: this.launch.restartFrame ?? true,
      ...extra,
    });
    if (!answer.success) throw new Error(answer.message ?? 'The debugger could not start the program.');
  }

  /** Leaves the program running without the debugger (disconnect, terminateDebuggee false). */
  async detach(): Promise<void> {
    this.detached = true;
    if (this.agentOpen) {
      await this.agent.request('disconnect', { terminateDebuggee: false }, AGENT_STOP_REQUEST_MS).catch(() => undefined);
    }
    this.agent.close();
  }

  /** Immediate kill, for disposal. */
  kill(): void {
    this.quiet = true;
    this.agent.close();
    void this.process?.kill();
    if (this.killablePid !== undefined && this.agentOpen) this.killChildProcess();
  }
}
