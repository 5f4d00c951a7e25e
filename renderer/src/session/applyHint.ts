/**
 * The hint that an apply may come (`dapper/prepareApply`, docs/protocol.md): while a process
 * of the session runs — the program, or a child process of it — and an open file has edits it
 * does not run yet, that process's session is told so: once when the file gets such edits,
 * again at most every HINT_RENEW_MS while the user keeps typing, and `active: false` when the
 * file has none any more (saved and applied, reverted, closed) or the process no longer runs.
 * The agent then takes the apply's request without waiting behind the program's busy threads
 * (a process that has not loaded the file ignores the hint); a hint not renewed ends by itself
 * in the agent, so nothing here needs to run on a timer. The setting `prepareApplyWhileEditing`
 * (on by default) turns it off: the agent lowers the program's GIL switch interval while a hint
 * lasts, which costs a program whose threads all compute in Python some speed.
 */
import { PREPARE_APPLY_REQUEST } from '../../../common/hotReload';
import type { DebugSession } from './debugSession';
import { rootSession, sessionById } from './sessions';
import { selectUnappliedPaths, useEditorStore } from '../stores/editorStore';
import { useProcessStore } from '../stores/processStore';
import { useSessionStore } from '../stores/sessionStore';
import { useSettingsStore } from '../stores/settingsStore';

/** At most one renewal per file this often while the user types (the agent lets a hint go after 20 s). */
export const HINT_RENEW_MS = 5_000;

interface SentHint {
  readonly sessionId: string;
  readonly path: string;
  readonly sentAt: number;
  /** The file's version when the hint was last sent: a renewal needs new typing. */
  readonly version: number;
}

/** By session id and path (hintKey). */
const sent = new Map<string, SentHint>();
let clock: () => number = () => Date.now();
let unsubscribers: Array<() => void> = [];

/**
 * Starts sending hints as the editor, the session and its child processes change (once; later
 * calls do nothing). `now` is for tests.
 */
export function watchApplyHints(now?: () => number): void {
  if (now) clock = now;
  if (unsubscribers.length > 0) return;
  unsubscribers = [useEditorStore.subscribe(update), useSessionStore.subscribe(update), useProcessStore.subscribe(update),
    useSettingsStore.subscribe(update)];
  update();
}

/** Stops watching and forgets what was sent (tests, between sessions of tests). */
export function stopApplyHints(): void {
  for (const unsubscribe of unsubscribers) unsubscribe();
  unsubscribers = [];
  sent.clear();
  clock = () => Date.now();
}

function hintKey(sessionId: string, path: string): string {
  return `${sessionId}\n${path}`;
}

/** The sessions of processes that run now: the program's, and each running child process's. */
function runningSessions(): DebugSession[] {
  const sessions: DebugSession[] = [];
  const root = rootSession();
  if (root && useSessionStore.getState().status === 'running') sessions.push(root);
  for (const view of useProcessStore.getState().processes) {
    const session = view.status === 'running' ? sessionById(view.sessionId) : null;
    if (session) sessions.push(session);
  }
  return sessions;
}

function update(): void {
  // Setting off: no hint is sent, and those sent are withdrawn.
  const sessions = useSettingsStore.getState().settings.prepareApplyWhileEditing ? runningSessions() : [];
  const editor = useEditorStore.getState();
  const paths = sessions.length > 0 ? selectUnappliedPaths(editor) : [];
  const wanted = new Set(sessions.flatMap((session) => paths.map((path) => hintKey(session.id, path))));
  const now = clock();
  for (const [key, hint] of [...sent]) {
    if (wanted.has(key)) continue;
    sent.delete(key);
    // A session that ended (or was replaced) has no hint left to withdraw.
    const session = sessionById(hint.sessionId);
    if (session) send(session, hint.path, false);
  }
  for (const session of sessions) {
    for (const path of paths) {
      const key = hintKey(session.id, path);
      const version = editor.files[path]?.currentVersion ?? 0;
      const previous = sent.get(key);
      if (previous && (previous.version === version || now - previous.sentAt < HINT_RENEW_MS)) continue;
      sent.set(key, { sessionId: session.id, path, sentAt: now, version });
      send(session, path, true);
    }
  }
}

function send(session: DebugSession, path: string, active: boolean): void {
  // A hint is only a hint: an adapter without it, or a process that just ended, changes nothing.
  session.client.requestRaw(PREPARE_APPLY_REQUEST, { source: { path }, active }).catch(() => undefined);
}
