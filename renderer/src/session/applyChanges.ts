/**
 * Apply Changes from the user's side: save unsaved edits, send `dapper/hotReload`, and put
 * the outcome where the user looks — a one-line summary, each diagnostic as an editor
 * marker in its file, stale frames in Call Stack, breakpoints moved, every view refreshed.
 * A failed apply keeps the edits and says the program still runs the old code.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  HOT_RELOAD_REQUEST,
  type HotReloadDiagnostic,
  type HotReloadResponseBody,
  type HotReloadResultEventBody,
} from '../../../common/hotReload';
import { describeFailure, errorText } from '../dap/dapClient';
import { getDocumentHost } from '../editor/documentHost';
import { applyInChildProcesses, isNotLoadedRefusal } from './childSessions';
import { saveFile } from './fileActions';
import { refreshChildFrame, refreshStoppedViews } from './frameViews';
import { rootSession } from './sessions';
import { useConsoleStore } from '../stores/consoleStore';
import { baseName, isDirty, selectUnappliedPaths, useEditorStore } from '../stores/editorStore';
import { notify } from '../stores/noticeStore';
import { useProcessStore } from '../stores/processStore';
import { useSessionStore, type ApplySummary, type SessionStatus } from '../stores/sessionStore';

const resultEvents = new Map<string, HotReloadResultEventBody>();

/** The adapter's `dapper/hotReloadResult` event; its duration is the agent's own measurement. */
export function recordHotReloadResult(body: HotReloadResultEventBody): void {
  if (body && typeof body.path === 'string') resultEvents.set(body.path, body);
}

/**
 * Files Apply Changes would send now: the program is stopped or running (both are applied
 * at once), the file is loaded by it, and its text is not applied yet.
 */
export function applyCandidates(): string[] {
  if (!canApplyInStatus(useSessionStore.getState().status)) return [];
  return selectUnappliedPaths(useEditorStore.getState());
}

export function canApplyInStatus(status: SessionStatus): boolean {
  return status === 'stopped' || status === 'running';
}

export function canApplyPath(path: string): boolean {
  return applyCandidates().includes(path);
}

/** Applies the given file, or every file with unapplied changes (active file first). */
export async function applyChanges(path?: string): Promise<void> {
  const session = useSessionStore.getState();
  if (session.applying) return;
  const candidates = applyCandidates();
  const active = useEditorStore.getState().activePath;
  const targets = path
    ? candidates.filter((item) => item === path)
    : [...candidates].sort((a, b) => Number(b === active) - Number(a === active));
  if (targets.length === 0) return;
  session.setApplying(true);
  try {
    for (const target of targets) {
      const applied = await applyOne(target);
      if (!applied) break;
    }
  } finally {
    useSessionStore.getState().setApplying(false);
  }
  if (useSessionStore.getState().status === 'stopped') await refreshStoppedViews(null);
  // A selected child frame shows what the applied code did there too.
  await refreshChildFrame();
}

async function applyOne(path: string): Promise<boolean> {
  const client = rootSession()?.client;
  const file = useEditorStore.getState().files[path];
  if (!client || !file) return false;
  if (isDirty(file) && !(await saveFile(path))) return false;
  const version = getDocumentHost().getVersion(path);
  resultEvents.delete(path);
  const started = performance.now();
  let response: DebugProtocol.Response;
  try {
    response = await client.requestRaw(HOT_RELOAD_REQUEST, { source: { path } });
  } catch (error) {
    const running = useSessionStore.getState().status === 'running';
    report(path, failureSummary(path, errorText(error), [], performance.now() - started, running));
    return false;
  }
  const event = resultEvents.get(path);
  const elapsed = event?.durationMs ?? performance.now() - started;
  const running = useSessionStore.getState().status === 'running';
  const body = (response.body ?? event) as Partial<HotReloadResponseBody> | undefined;
  const diagnostics = body?.diagnostics ?? event?.diagnostics ?? [];
  const success = response.success && (event?.success ?? true);
  // A file only child processes have loaded (a module only the workers import) is applied there.
  const onlyInChildren = !success && isNotLoadedRefusal(diagnostics) && useProcessStore.getState().processes.length > 0;
  showDiagnostics(path, onlyInChildren ? [] : diagnostics);
  if (!success && !onlyInChildren) {
    report(path, failureSummary(path, describeFailure(response), diagnostics, elapsed, running));
    return false;
  }
  const full = body as HotReloadResponseBody;
  // Frame ids exist only while stopped; a running program's stale frames show as
  // "[old code]" in Call Stack once it stops (the agent marks them).
  if (success && useSessionStore.getState().status === 'stopped') useSessionStore.getState().setStaleFrames(full.staleFrames ?? []);
  // Every child process that loaded the file gets the change too, stopped or running.
  const childStarted = performance.now();
  const children = await applyInChildProcesses(path);
  const childMs = performance.now() - childStarted;
  for (const child of children) {
    const text = child.success && child.body ? summarizeApply(child.body, childMs) : child.notLoaded ? `has not loaded ${baseName(path)}` : `failed: ${child.message}`;
    useConsoleStore.getState().append(child.success || child.notLoaded ? 'console' : 'error', `Process ${child.pid}: ${text}\n`);
  }
  // A process that has not loaded the file has nothing to apply: it is neither applied nor failed.
  const affected = children.filter((child) => !child.notLoaded);
  const childFailures = affected.filter((child) => !child.success).length;
  const childSummary = affected.length
    ? ` Child processes: ${affected.length - childFailures} of ${affected.length} applied${childFailures ? ` (${childFailures} failed, see the Debug Console)` : ''}.`
    : '';
  if (onlyInChildren) {
    if (affected.length === 0) {
      // No process has loaded it: the program's refusal says so.
      showDiagnostics(path, diagnostics);
      report(path, failureSummary(path, describeFailure(response), diagnostics, elapsed, running));
      return false;
    }
    if (childFailures === affected.length) {
      report(path, failureSummary(path, `it failed in every child process that loaded it (see the Debug Console)`, [], elapsed, running));
      return false;
    }
  }
  if (version !== undefined) useEditorStore.getState().markApplied(path, version);
  report(path, {
    path,
    success: true,
    message: (onlyInChildren ? `${baseName(path)} is not loaded by the program itself, only by its child processes.` : summarizeApply(full, elapsed)) + childSummary,
    durationMs: elapsed,
    diagnostics: onlyInChildren ? [] : diagnostics,
    at: Date.now(),
  });
  return true;
}

/** Diagnostics replace the previous apply's markers in every file they mention. */
function showDiagnostics(path: string, diagnostics: readonly HotReloadDiagnostic[]): void {
  const byPath = new Map<string, HotReloadDiagnostic[]>([[path, []]]);
  for (const diagnostic of diagnostics) {
    const target = diagnostic.path || path;
    byPath.set(target, [...(byPath.get(target) ?? []), diagnostic]);
  }
  for (const [target, items] of byPath) useEditorStore.getState().setDiagnostics(target, items);
}

function report(path: string, summary: ApplySummary): void {
  useSessionStore.getState().setLastApply(summary);
  useConsoleStore.getState().append(summary.success ? 'important' : 'error', `${summary.message}\n`);
  if (!summary.success) notify('error', summary.message);
  else if (summary.diagnostics.some((item) => item.severity === 'warning')) {
    notify('warning', `${summary.message} See the warnings marked in ${baseName(path)}.`);
  }
}

export function summarizeApply(body: HotReloadResponseBody, durationMs: number): string {
  const parts: string[] = [];
  const count = (n: number, one: string, many: string): void => {
    if (n > 0) parts.push(`${n} ${n === 1 ? one : many}`);
  };
  count(body.patchedFunctions, 'function patched', 'functions patched');
  count(body.patchedClasses, 'class patched', 'classes patched');
  count(body.addedDefinitions, 'definition added', 'definitions added');
  count(body.removedDefinitions, 'definition removed', 'definitions removed');
  // Ahead of a module body that still runs its old code: applied when the body gets there.
  count(body.pendingDefinitions ?? 0, 'definition updated when the module body reaches it',
    'definitions updated when the module body reaches them');
  count(body.reboundFrameLocals, 'frame local rebound', 'frame locals rebound');
  const what = parts.length > 0 ? parts.join(', ') : 'no code changes';
  let message = `Applied ${baseName(body.path)}: ${what} in ${formatDuration(durationMs)}.`;
  const stale = body.staleFrames?.length ?? 0;
  if (stale > 0) {
    message += ` ${stale} ${stale === 1 ? 'frame still runs' : 'frames still run'} the old code until ${stale === 1 ? 'it returns' : 'they return'}.`;
  }
  const warnings = (body.diagnostics ?? []).filter((item) => item.severity === 'warning').length;
  if (warnings > 0) message += ` ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}.`;
  return message;
}

function failureSummary(
  path: string,
  reason: string,
  diagnostics: readonly HotReloadDiagnostic[],
  durationMs: number,
  running = false,
): ApplySummary {
  const firstError = diagnostics.find((item) => item.severity === 'error');
  const where = firstError ? ` (${baseName(firstError.path || path)} line ${firstError.line})` : '';
  const program = running ? 'The program keeps running its old code' : 'The program still runs the old code';
  return {
    path,
    success: false,
    message: `Apply Changes failed for ${baseName(path)}${where}: ${reason.replace(/[.\s]+$/, '')}. ${program}; your edits are kept in the editor.`,
    durationMs,
    diagnostics,
    at: Date.now(),
  };
}

function formatDuration(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}
