/**
 * Debug Console input: evaluate in the selected frame (in the session that owns it: a child
 * process's when one of its frames is selected), completions, and the program's stdin.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { SEND_INPUT_REQUEST } from '../../../common/hotReload';
import { errorText } from '../dap/dapClient';
import { focusedFrame, rootSession } from './sessions';
import { refreshChildFrame, refreshStoppedViews } from './frameViews';
import { useConsoleStore } from '../stores/consoleStore';
import { useProcessStore } from '../stores/processStore';
import { useSessionStore } from '../stores/sessionStore';

export async function evaluateInConsole(expression: string): Promise<void> {
  const consoleStore = useConsoleStore.getState();
  if (!expression.trim()) return;
  consoleStore.pushHistory(expression);
  consoleStore.append('input', `> ${expression}\n`);
  const focus = focusedFrame();
  if (!focus) {
    consoleStore.append('error', 'No program is being debugged. Start debugging (F5) to evaluate expressions.\n');
    return;
  }
  try {
    const body = await focus.session.client.request('evaluate', {
      expression,
      context: 'repl',
      ...(focus.stopped && focus.frameId !== null ? { frameId: focus.frameId } : {}),
    });
    useConsoleStore.getState().append('result', `${body.result}\n`);
    // An assignment in the console can change what Variables and Watch show.
    if (useProcessStore.getState().focus) void refreshChildFrame();
    else if (useSessionStore.getState().status === 'stopped') void refreshStoppedViews(null);
  } catch (error) {
    useConsoleStore.getState().append('error', `${errorText(error)}\n`);
  }
}

export async function sendProgramInput(text: string): Promise<void> {
  const client = rootSession()?.client;
  if (!client) {
    useConsoleStore.getState().append('error', 'No program is running, so there is nothing to send input to.\n');
    return;
  }
  useConsoleStore.getState().append('input', `${text}\n`);
  try {
    await client.request(SEND_INPUT_REQUEST, { text });
  } catch (error) {
    useConsoleStore.getState().append('error', `Could not send input to the program: ${errorText(error)}\n`);
  }
}

export async function fetchCompletions(text: string, column: number): Promise<DebugProtocol.CompletionItem[]> {
  const focus = focusedFrame();
  if (!focus?.session.capabilities.supportsCompletionsRequest) return [];
  try {
    const body = await focus.session.client.request('completions', {
      text,
      column,
      line: 1,
      ...(focus.frameId !== null ? { frameId: focus.frameId } : {}),
    });
    return body.targets;
  } catch {
    return [];
  }
}

/** Replaces the word being completed with the chosen completion; returns new text and caret. */
export function applyCompletion(
  text: string,
  caret: number,
  item: DebugProtocol.CompletionItem,
): { text: string; caret: number } {
  const insert = item.text ?? item.label;
  const given = item.start !== undefined ? adapterRange(text, insert, item.start, item.length ?? 0) : null;
  let start: number;
  let length: number;
  if (given) {
    ({ start, length } = given);
  } else {
    const before = text.slice(0, caret);
    const word = /[\w.]*$/.exec(before)?.[0] ?? '';
    const lastSegment = word.includes('.') ? word.slice(word.lastIndexOf('.') + 1) : word;
    start = caret - lastSegment.length;
    length = lastSegment.length;
  }
  return { text: text.slice(0, start) + insert + text.slice(start + length), caret: start + insert.length };
}

/**
 * DAP says `start` follows columnsStartAt1 (1-based for us), but adapters in the wild
 * (debugpy, ours) send 0-based offsets; the replaced text must be a prefix of the
 * completion, which tells the two apart.
 */
function adapterRange(text: string, insert: string, start: number, length: number): { start: number; length: number } | null {
  for (const candidate of [start, start - 1]) {
    if (candidate < 0 || candidate + length > text.length) continue;
    const replaced = text.slice(candidate, candidate + length).toLowerCase();
    if (insert.toLowerCase().startsWith(replaced)) return { start: candidate, length };
  }
  return null;
}
