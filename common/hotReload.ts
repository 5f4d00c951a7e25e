/**
 * The Apply Changes protocol extension (ARCHITECTURE contract 5). Every field is
 * documented in docs/protocol.md; keep the two in step.
 */

export const HOT_RELOAD_REQUEST = 'dapper/hotReload';
export const HOT_RELOAD_RESULT_EVENT = 'dapper/hotReloadResult';
/** Custom request that writes a line to the debuggee's stdin. */
export const SEND_INPUT_REQUEST = 'dapper/sendInput';

export interface HotReloadOptions {
  /**
   * Re-execute the module body of an imported module (never the main script) when it has
   * changed statements other than definitions and simple constant assignments.
   * All or nothing. Default false.
   */
  readonly reExecuteModuleBody?: boolean;
  /** Rebind locals of live frames that refer to replaced objects. Default true. */
  readonly rebindFrameLocals?: boolean;
}

export interface HotReloadArguments {
  readonly source: { readonly path: string };
  readonly options?: HotReloadOptions;
}

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

/** One thing the user must know about an apply, with a location in the edited file. */
export interface HotReloadDiagnostic {
  /** Stable machine-readable code, e.g. `syntax-error`, `closure-freevars-changed`. */
  readonly code: string;
  readonly severity: DiagnosticSeverity;
  readonly message: string;
  readonly path: string;
  /** 1-based line in the new file. */
  readonly line: number;
  /** 1-based column where known. */
  readonly column?: number;
  readonly endLine?: number;
  readonly endColumn?: number;
}

/** A frame still executing code that the apply replaced. */
export interface StaleFrame {
  readonly frameId: number;
  readonly threadId?: number;
  readonly name: string;
  readonly line: number;
  readonly path?: string;
}

/** A breakpoint that moved or was lost because lines were inserted or deleted above it. */
export interface BreakpointRemap {
  readonly path: string;
  readonly oldLine: number;
  /** null when the breakpoint's line was deleted. */
  readonly newLine: number | null;
}

export interface HotReloadResponseBody {
  readonly module: string;
  readonly path: string;
  readonly patchedFunctions: number;
  readonly patchedClasses: number;
  readonly addedDefinitions: number;
  /**
   * Definitions ahead of a module body that is still running its old code (stopped on entry,
   * or inside an imported module's top-level code): updated, added or re-decorated when the
   * body gets to them. 0 when no module body of the file is running.
   */
  readonly pendingDefinitions: number;
  readonly removedDefinitions: number;
  readonly reboundFrameLocals: number;
  readonly staleFrames: readonly StaleFrame[];
  /** Human-readable warnings, for clients of the seed's protocol. */
  readonly warnings: readonly string[];
  readonly diagnostics: readonly HotReloadDiagnostic[];
  readonly breakpointRemaps?: readonly BreakpointRemap[];
}

export interface HotReloadResultEventBody extends HotReloadResponseBody {
  readonly success: boolean;
  readonly durationMs: number;
}

/** Capabilities the adapter adds to the initialize response. */
export interface DapperCapabilities {
  readonly supportsHotReload: true;
}
