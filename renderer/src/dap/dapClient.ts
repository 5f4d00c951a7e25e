/**
 * A DAP client over the host bridge: numbers requests, matches responses to them, fans
 * out events, and answers reverse requests this UI does not implement with an error
 * (so the adapter falls back instead of waiting forever).
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DapperBridge } from '../../../common/bridge';
import type { DapArgumentList, DapCommand, DapResponseBody } from '../../../common/dapRequests';

export class DapRequestError extends Error {
  constructor(
    readonly command: string,
    message: string,
    readonly response: DebugProtocol.Response | null,
  ) {
    super(message);
    this.name = 'DapRequestError';
  }
}

type EventListener = (event: DebugProtocol.Event) => void;
type ClosedListener = (reason: string) => void;

interface PendingRequest {
  readonly command: string;
  resolve(response: DebugProtocol.Response): void;
  reject(error: Error): void;
}

/** Handles a reverse request; resolves with undefined on success, or the failure message. */
export type ReverseRequestHandler = (args: unknown) => Promise<string | undefined>;

/** Report handled output to the host after this many characters (host/bridge/outputWindow.ts). */
const CONSUMED_REPORT_CHARS = 256 * 1024;

export class DapClient {
  private nextSeq = 1;
  /** Characters of output events handled and not yet reported to the host. */
  private unreportedChars = 0;
  private readonly pending = new Map<number, PendingRequest>();
  private readonly eventListeners = new Set<EventListener>();
  private readonly closedListeners = new Set<ClosedListener>();
  private readonly unsubscribers: Array<() => void> = [];
  private closedReason: string | null = null;

  constructor(
    private readonly bridge: DapperBridge,
    readonly sessionId: string,
  ) {
    this.unsubscribers.push(
      bridge.on('dap.message', (id, message) => {
        if (id === this.sessionId) this.receive(message);
      }),
      bridge.on('dap.closed', (id, reason) => {
        if (id === this.sessionId) this.close(reason);
      }),
    );
  }

  get isClosed(): boolean {
    return this.closedReason !== null;
  }

  onEvent(listener: EventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onClosed(listener: ClosedListener): () => void {
    this.closedListeners.add(listener);
    return () => this.closedListeners.delete(listener);
  }

  /**
   * Sends a request (its name, arguments and body type from common/dapRequests.ts); resolves
   * with the response body, rejects with DapRequestError on failure.
   */
  async request<C extends DapCommand>(command: C, ...args: DapArgumentList<C>): Promise<DapResponseBody<C>> {
    const response = await this.requestRaw(command, ...args);
    if (!response.success) {
      throw new DapRequestError(command, describeFailure(response), response);
    }
    return response.body as DapResponseBody<C>;
  }

  /** Sends a request; resolves with the whole response, successful or not. */
  requestRaw<C extends DapCommand>(command: C, ...[args]: DapArgumentList<C>): Promise<DebugProtocol.Response> {
    if (this.closedReason !== null) {
      return Promise.reject(
        new DapRequestError(command, `The debug session has ended (${this.closedReason}).`, null),
      );
    }
    const seq = this.nextSeq++;
    const request: DebugProtocol.Request = { seq, type: 'request', command, arguments: args };
    return new Promise<DebugProtocol.Response>((resolve, reject) => {
      this.pending.set(seq, { command, resolve, reject });
      this.bridge.invoke('dap.send', this.sessionId, request).catch((error: unknown) => {
        this.pending.delete(seq);
        reject(new DapRequestError(command, `Could not reach the debug adapter: ${errorText(error)}`, null));
      });
    });
  }

  /** Stops listening and fails every request still waiting. */
  close(reason: string): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    for (const [, pending] of this.pending) {
      pending.reject(new DapRequestError(pending.command, `The debug session has ended (${reason}).`, null));
    }
    this.pending.clear();
    for (const listener of this.closedListeners) listener(reason);
  }

  private receive(message: DebugProtocol.ProtocolMessage): void {
    switch (message.type) {
      case 'response':
        this.settle(message as DebugProtocol.Response);
        break;
      case 'event':
        for (const listener of [...this.eventListeners]) listener(message as DebugProtocol.Event);
        this.reportConsumed(message as DebugProtocol.Event);
        break;
      case 'request': {
        const request = message as DebugProtocol.Request;
        const handler = this.reverseRequestHandlers.get(request.command);
        if (handler) void this.answerReverseRequest(request, handler);
        else this.refuseReverseRequest(request);
        break;
      }
      default:
        break;
    }
  }

  /**
   * Tells the host how much output has been handled, so it lets the program print on
   * (it holds the program while too much waits). Reported in batches, and at once when
   * the batch is small but output stops, so the last lines never hold the program.
   */
  private reportConsumed(event: DebugProtocol.Event): void {
    if (event.event !== 'output') return;
    const output = (event as DebugProtocol.OutputEvent).body?.output;
    if (typeof output !== 'string' || output.length === 0) return;
    const pendingBefore = this.unreportedChars;
    this.unreportedChars += output.length;
    if (this.unreportedChars >= CONSUMED_REPORT_CHARS) {
      this.flushConsumed();
    } else if (pendingBefore === 0) {
      setTimeout(() => this.flushConsumed(), 50);
    }
  }

  private flushConsumed(): void {
    const chars = this.unreportedChars;
    if (chars === 0 || this.closedReason !== null) return;
    this.unreportedChars = 0;
    void this.bridge.invoke('dap.consumed', this.sessionId, chars).catch(() => undefined);
  }

  private settle(response: DebugProtocol.Response): void {
    const pending = this.pending.get(response.request_seq);
    if (!pending) return;
    this.pending.delete(response.request_seq);
    pending.resolve(response);
  }

  /** Answers the adapter's reverse request `command` (e.g. startDebugging) with `handler`. */
  onReverseRequest(command: string, handler: ReverseRequestHandler): void {
    this.reverseRequestHandlers.set(command, handler);
  }

  private readonly reverseRequestHandlers = new Map<string, ReverseRequestHandler>();

  private async answerReverseRequest(request: DebugProtocol.Request, handler: ReverseRequestHandler): Promise<void> {
    let message: string | undefined;
    try {
      message = await handler(request.arguments);
    } catch (error) {
      message = errorText(error);
    }
    const response: DebugProtocol.Response = {
      seq: this.nextSeq++,
      type: 'response',
      request_seq: request.seq,
      command: request.command,
      success: message === undefined,
      ...(message === undefined ? {} : { message }),
    };
    void this.bridge.invoke('dap.send', this.sessionId, response).catch(() => undefined);
  }

  private refuseReverseRequest(request: DebugProtocol.Request): void {
    const response: DebugProtocol.Response = {
      seq: this.nextSeq++,
      type: 'response',
      request_seq: request.seq,
      command: request.command,
      success: false,
      message: `Dapper Desktop does not support the '${request.command}' request.`,
    };
    void this.bridge.invoke('dap.send', this.sessionId, response).catch(() => undefined);
  }
}

export function describeFailure(response: DebugProtocol.Response): string {
  const body = response.body as DebugProtocol.ErrorResponse['body'] | undefined;
  const formatted = body?.error?.format;
  if (formatted) {
    const variables = body?.error?.variables ?? {};
    return formatted.replace(/\{(\w+)\}/g, (match, name: string) => variables[name] ?? match);
  }
  return response.message || `The '${response.command}' request failed.`;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
