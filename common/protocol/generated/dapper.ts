// Generated from common/protocol/dapper.schema.json by scripts/generate-protocol.mjs; do not edit.
// Change the schema and run `npm run generate`; `npm test` fails when this file is stale.

export type DiagnosticSeverity = 'error' | 'warning' | 'info';
/**
 * Stable machine-readable code of a diagnostic. `severity`, `when` and `action` are the rows of docs/protocol.md's table.
 */
export type DiagnosticCode =
  | 'not-stopped'
  | 'not-running'
  | 'invalid-request'
  | 'apply-timed-out'
  | 'reload-in-progress'
  | 'file-not-found'
  | 'not-python-file'
  | 'c-extension'
  | 'file-not-loaded'
  | 'decode-error'
  | 'syntax-error'
  | 'compile-error'
  | 'definition-raised'
  | 'module-body-raised'
  | 'apply-failed'
  | 'closure-freevars-changed'
  | 'closure-not-in-source'
  | 'super-cell-changed'
  | 'module-statement-not-applied'
  | 'main-body-not-reexecuted'
  | 'class-statement-not-applied'
  | 'class-header-changed'
  | 'decorator-changed'
  | 'definition-removed'
  | 'module-statement-runs-old-code'
  | 'definition-not-reached'
  | 'module-body-running'
  | 'generator-running';
/**
 * `dapper/hotReloadResult`: the response body (all counts 0 and lists empty when the apply was refused before the agent answered) plus the outcome.
 */
export type HotReloadResultEventBody = HotReloadResponseBody & {
  success: boolean;
  /**
   * Time from the request to the agent's answer, measured by the adapter.
   */
  durationMs: number;
};

/**
 * A response without a body.
 */
export interface EmptyBody {}
/**
 * Capabilities the adapter adds to the initialize response.
 */
export interface DapperCapabilities {
  supportsHotReload: true;
}
/**
 * An interpreter: what the agent's hello reports and `dapper/pythonInfo` carries.
 */
export interface PythonInfo {
  /**
   * e.g. 3.12.1
   */
  version: string;
  /**
   * sys.implementation.name, e.g. cpython
   */
  implementation: string;
  /**
   * sys.executable
   */
  executable: string;
}
export interface SendInputArguments {
  /**
   * Written to stdin followed by "\n".
   */
  text: string;
}
export interface HotReloadOptions {
  /**
   * Re-execute the module body of an imported module (never the main script) when it has changed statements other than definitions and simple constant assignments. All or nothing. Default false.
   */
  reExecuteModuleBody?: boolean;
  /**
   * Rebind locals of live frames that refer to replaced objects. Default true.
   */
  rebindFrameLocals?: boolean;
}
export interface HotReloadArguments {
  source: {
    path: string;
  };
  options?: HotReloadOptions;
}
export interface PrepareApplyArguments {
  source: {
    path: string;
  };
  /**
   * true: the file has edits not applied yet (start or renew the hint); false: it no longer has (saved and applied, or reverted).
   */
  active: boolean;
}
/**
 * One thing the user must know about an apply, with a location in the edited file.
 */
export interface HotReloadDiagnostic {
  code: DiagnosticCode;
  severity: DiagnosticSeverity;
  message: string;
  path: string;
  /**
   * 1-based line in the new file.
   */
  line: number;
  /**
   * 1-based column where known.
   */
  column?: number;
  endLine?: number;
  endColumn?: number;
}
/**
 * A frame still executing code that the apply replaced.
 */
export interface StaleFrame {
  frameId: number;
  threadId?: number;
  name: string;
  line: number;
  path?: string;
}
/**
 * A breakpoint that moved or was lost because lines were inserted or deleted above it.
 */
export interface BreakpointRemap {
  path: string;
  oldLine: number;
  /**
   * null when the breakpoint's line was deleted.
   */
  newLine: number | null;
}
/**
 * What an apply changed (the agent's `hotReload` body, forwarded as the `dapper/hotReload` response body).
 */
export interface HotReloadResponseBody {
  /**
   * name of the module the file is loaded as (`__main__` for the script; comma-separated if one file is loaded under two names)
   */
  module: string;
  /**
   * the path as requested
   */
  path: string;
  /**
   * definitions (code objects) whose behaviour changed and was applied, or whose defaults/annotations changed. A function whose nested function changed changed too (its code holds the nested code): editing `inner` inside `outer` with a live closure of `inner` counts 2 (`outer` and the closure), or 1 when the closure could not be patched (and was reported)
   */
  patchedFunctions: number;
  /**
   * existing classes with at least one member changed, added or removed
   */
  patchedClasses: number;
  /**
   * top-level functions and classes, and class members, added
   */
  addedDefinitions: number;
  /**
   * definitions ahead of a module body that is still running its old code (the main script stopped on entry or before a `def`, an imported module stopped in its top-level code): functions and classes the body has not created yet, and definitions added there. Each is given the new code (new line numbers), the new class body, new defaults or decorators when the body gets to it; added ones are run at their place in the file. `0` when no module body of the file is running
   */
  pendingDefinitions: number;
  /**
   * top-level functions and classes, and class members, removed
   */
  removedDefinitions: number;
  /**
   * locals of live frames rebound to replacement objects
   */
  reboundFrameLocals: number;
  /**
   * `{frameId, threadId, name, line, path}` of frames still executing replaced code (a changed function, a changed class body being executed, the `<module>` frame when it will run changed statements in their old form); they finish on their old code and show in `stackTrace` as `name [old code]` with `presentationHint: "subtle"`; `line` is in the new file (where the statement was, when it was deleted)
   */
  staleFrames: StaleFrame[];
  /**
   * `"line N: message"` for every warning diagnostic, for clients that show plain text
   */
  warnings: string[];
  /**
   * `HotReloadDiagnostic[]`: `code`, `severity`, `message`, `path`, 1-based `line`, `column`/`endLine`/`endColumn` where known (lines are in the new file)
   */
  diagnostics: HotReloadDiagnostic[];
  /**
   * `{path, oldLine, newLine}` for each breakpoint of the file that moved (`newLine: null` when its line was deleted: the breakpoint becomes unverified with a message)
   */
  breakpointRemaps?: BreakpointRemap[];
}
/**
 * The body of a failed apply: what refused it. The program was not changed.
 */
export interface HotReloadFailureBody {
  diagnostics: HotReloadDiagnostic[];
}

/** Apply Changes: patch the running program with the file's new text. */
export const HOT_RELOAD_REQUEST = 'dapper/hotReload';
/** A hint that an apply of this file may come soon (the user is editing it while the program runs): the agent gets ready to take the apply quickly. Sent again every few seconds while the edit goes on; ends with active false, with the apply of the file, or by itself after about 20 s without a renewal. Changes nothing the program can see except the GIL switch interval, lowered meanwhile (docs/apply-changes.md). */
export const PREPARE_APPLY_REQUEST = 'dapper/prepareApply';
/** Writes a line to the debuggee's standard input. */
export const SEND_INPUT_REQUEST = 'dapper/sendInput';
/** Sent after every dapper/hotReload, applied or not. */
export const HOT_RELOAD_RESULT_EVENT = 'dapper/hotReloadResult';
/** The interpreter the program runs on (from the agent's hello), sent after `process`. */
export const PYTHON_INFO_EVENT = 'dapper/pythonInfo';
/** Every Dapper request: its arguments and its response body. */
export interface DapperRequests {
  'dapper/hotReload': { arguments: HotReloadArguments; response: HotReloadResponseBody };
  'dapper/prepareApply': { arguments: PrepareApplyArguments; response: EmptyBody };
  'dapper/sendInput': { arguments: SendInputArguments; response: EmptyBody };
}
/** Every Dapper event and its body. */
export interface DapperEvents {
  'dapper/hotReloadResult': HotReloadResultEventBody;
  'dapper/pythonInfo': PythonInfo;
}
/** The part of JSON Schema that request arguments use (the adapter checks requests against it). */
export interface ArgumentSchema {
  readonly type: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  readonly properties?: { readonly [name: string]: ArgumentSchema };
  readonly required?: readonly string[];
  readonly items?: ArgumentSchema;
}
/** Every Dapper request's arguments as their schema declares them, references resolved. */
export const DAPPER_REQUEST_ARGUMENTS: { readonly [K in keyof DapperRequests]: ArgumentSchema } = {
  'dapper/hotReload': {"type":"object","properties":{"source":{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]},"options":{"type":"object","properties":{"reExecuteModuleBody":{"type":"boolean"},"rebindFrameLocals":{"type":"boolean"}}}},"required":["source"]},
  'dapper/prepareApply': {"type":"object","properties":{"source":{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]},"active":{"type":"boolean"}},"required":["source","active"]},
  'dapper/sendInput': {"type":"object","properties":{"text":{"type":"string"}},"required":["text"]},
};
/** Every diagnostic code, in the order of docs/protocol.md. */
export const DIAGNOSTIC_CODES: readonly DiagnosticCode[] = [
  'not-stopped',
  'not-running',
  'invalid-request',
  'apply-timed-out',
  'reload-in-progress',
  'file-not-found',
  'not-python-file',
  'c-extension',
  'file-not-loaded',
  'decode-error',
  'syntax-error',
  'compile-error',
  'definition-raised',
  'module-body-raised',
  'apply-failed',
  'closure-freevars-changed',
  'closure-not-in-source',
  'super-cell-changed',
  'module-statement-not-applied',
  'main-body-not-reexecuted',
  'class-statement-not-applied',
  'class-header-changed',
  'decorator-changed',
  'definition-removed',
  'module-statement-runs-old-code',
  'definition-not-reached',
  'module-body-running',
  'generator-running',
];
