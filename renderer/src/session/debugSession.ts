/**
 * One debug session, as VS Code's debug model keeps one per adapter connection: its DAP client,
 * the configuration it was started with (launch or attach; Restart starts it again), the
 * capabilities its adapter announced, its parent (a child process's session has the launched
 * program's as parent), and its lifecycle — initialize, launch or attach, configuration, end.
 *
 * What the user sees of a session lives in stores: the launched (root) session's threads and
 * frames in sessionStore, each child process's in processStore under the session's id.
 * sessions.ts keeps the live sessions; sessionController.ts and childSessions.ts create them.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DapperAttachArguments, DapperLaunchArguments } from '../../../common/launchConfig';
import type { ChildAttachArguments } from '../../../common/childProcesses';
import { getBridge } from '../bridge/bridgeAccess';
import { DapClient } from '../dap/dapClient';
import { configureBreakpoints } from './breakpointSync';

/** What a session was started with: Restart does it again; Stop ends a launch, detaches an attach. */
export type SessionConfiguration =
  | { readonly request: 'launch'; readonly arguments: DapperLaunchArguments; readonly label: string }
  | { readonly request: 'attach'; readonly arguments: DapperAttachArguments | ChildAttachArguments; readonly label: string };

type EndedListener = (reason: string) => void;

export class DebugSession {
  /** The adapter's announced capabilities (initialize response, then `capabilities` events). */
  capabilities: DebugProtocol.Capabilities = {};
  /** The user let this session's selected frame run (continue, a step): its next stop takes the selection again. */
  selectOnNextStop = false;
  private endedReason: string | null = null;
  private readonly endedListeners = new Set<EndedListener>();

  private constructor(
    readonly client: DapClient,
    readonly configuration: SessionConfiguration,
    /** The session whose program started this one's process; null for the launched or attached program. */
    readonly parent: DebugSession | null,
  ) {
    client.onClosed((reason) => this.markEnded(reason));
  }

  /** Starts an adapter session in the host (`dap.start`); the DAP conversation begins with initialize(). */
  static async open(configuration: SessionConfiguration, parent: DebugSession | null = null): Promise<DebugSession> {
    const bridge = getBridge();
    const args = configuration.request === 'launch' ? { launch: configuration.arguments } : { attach: configuration.arguments as unknown as Record<string, unknown> };
    const { sessionId } = await bridge.invoke('dap.start', args);
    return new DebugSession(new DapClient(bridge, sessionId), configuration, parent);
  }

  get id(): string {
    return this.client.sessionId;
  }

  get isChild(): boolean {
    return this.parent !== null;
  }

  /** Stop ends a launched program; an attached one (not a child process) was running before and goes on. */
  get terminatesOnStop(): boolean {
    return this.configuration.request === 'launch' || this.isChild;
  }

  get isEnded(): boolean {
    return this.endedReason !== null || this.client.isClosed;
  }

  /** initialize, then the configuration's launch or attach request. Capabilities are kept. */
  async initialize(args: DebugProtocol.InitializeRequestArguments): Promise<DebugProtocol.Capabilities> {
    this.capabilities = (await this.client.request('initialize', args)) ?? {};
    return this.capabilities;
  }

  async launchOrAttach(): Promise<void> {
    const configuration = this.configuration;
    if (configuration.request === 'launch') await this.client.request('launch', configuration.arguments);
    else await this.client.request('attach', configuration.arguments);
  }

  /** The answer to `initialized`: the app's breakpoints and exception filters, then configurationDone. */
  async configure(): Promise<void> {
    await configureBreakpoints(this);
    await this.client.request('configurationDone');
  }

  addCapabilities(capabilities: DebugProtocol.Capabilities): void {
    this.capabilities = { ...this.capabilities, ...capabilities };
  }

  /** Called once when the session ends (terminated, closed by the host, or disposed). */
  onEnded(listener: EndedListener): () => void {
    if (this.endedReason !== null) {
      listener(this.endedReason);
      return () => undefined;
    }
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  /** Ends the session: no more requests, the host's adapter session disposed. */
  async dispose(reason = 'terminated'): Promise<void> {
    this.client.close(reason);
    this.markEnded(reason);
    try {
      await getBridge().invoke('dap.dispose', this.id);
    } catch {
      // Already disposed by the host (adapter exited).
    }
  }

  private markEnded(reason: string): void {
    if (this.endedReason !== null) return;
    this.endedReason = reason;
    for (const listener of [...this.endedListeners]) listener(reason);
    this.endedListeners.clear();
  }
}
