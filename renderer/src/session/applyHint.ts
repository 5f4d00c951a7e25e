/**
 * The hint that an apply may come (`dapper/prepareApply`, docs/protocol.md): while the
 * program runs and an open file it has loaded has edits it does not run yet, the program's
 * session is told so — once when the file gets such edits, again at most every
 * HINT_RENEW_MS while the user keeps typing, and `active: false` when the file has none
 * any more (saved and applied, reverted, closed) or the program no longer runs. The agent
 * then takes the apply's request without waiting behind the program's busy threads; a hint
 * not renewed ends by itself in the agent, so nothing here needs to run on a timer.
 */
import { PREPARE_APPLY_REQUEST } from '../../../common/hotReload';
import { rootSession } from './sessions';
import { selectUnappliedPaths, useEditorStore } from '../stores/editorStore';
import { useSessionStore } from '../stores/sessionStore';

/** At most one renewal per file this often while the user types (the agent lets a hint go after 20 s). */
export const HINT_RENEW_MS = 5_000;

interface SentHint {
  readonly sessionId: string;
  readonly sentAt: number;
  /** The file's version when the hint was last sent: a renewal needs new typing. */
  readonly version: number;
}

const sent = new Map<string, SentHint>();
let clock: () => number = () => Date.now();
let unsubscribers: Array<() => void> = [];

/**
 * Starts sending hints as the editor and the session change (once; later calls do nothing).
 * `now` is for tests.
 */
export function watchApplyHints(now?: () => number): void {
  if (now) clock = now;
  if (unsubscribers.length > 0) return;
  unsubscribers = [useEditorStore.subscribe(update), useSessionStore.subscribe(update)];
  update();
}

/** Stops watching and forgets what was sent (tests, between sessions of tests). */
export function stopApplyHints(): void {
  for (const unsubscribe of unsubscribers) unsubscribe();
  unsubscribers = [];
  sent.clear();
  clock = () => Date.now();
}

function update(): void {
  const session = rootSession();
  const running = session !== null && useSessionStore.getState().status === 'running';
  const editor = useEditorStore.getState();
  const wanted = new Set(running ? selectUnappliedPaths(editor) : []);
  const now = clock();
  for (const [path, hint] of [...sent]) {
    if (wanted.has(path) && hint.sessionId === session?.id) continue;
    sent.delete(path);
    // A session that ended (or was replaced) has no hint left to withdraw.
    if (session && hint.sessionId === session.id) send(path, false);
  }
  if (!session) return;
  for (const path of wanted) {
    const version = editor.files[path]?.currentVersion ?? 0;
    const previous = sent.get(path);
    if (previous && (previous.version === version || now - previous.sentAt < HINT_RENEW_MS)) continue;
    sent.set(path, { sessionId: session.id, sentAt: now, version });
    send(path, true);
  }
}

function send(path: string, active: boolean): void {
  const client = rootSession()?.client;
  // A hint is only a hint: an adapter without it, or a program that just ended, changes nothing.
  client?.requestRaw(PREPARE_APPLY_REQUEST, { source: { path }, active }).catch(() => undefined);
}
