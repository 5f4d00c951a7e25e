/**
 * The Debug Console prompt: evaluates in the selected frame (context `repl`) with
 * completions (Tab or Ctrl+Space) and history (Up/Down); in "Program input" mode the line
 * goes to the program's stdin instead (for input() calls).
 */
import { useRef, useState, type KeyboardEvent } from 'react';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { applyCompletion, evaluateInConsole, fetchCompletions, sendProgramInput } from '../session/consoleActions';
import { useConsoleStore } from '../stores/consoleStore';
import { isSessionActive, useSessionStore } from '../stores/sessionStore';

export function ConsoleInput() {
  const mode = useConsoleStore((state) => state.inputMode);
  const history = useConsoleStore((state) => state.history);
  const active = useSessionStore((state) => isSessionActive(state.status));
  const [text, setText] = useState('');
  const [historyIndex, setHistoryIndex] = useState<number | null>(null);
  const [completions, setCompletions] = useState<DebugProtocol.CompletionItem[]>([]);
  const [chosen, setChosen] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);

  const submit = () => {
    if (mode === 'programInput') void sendProgramInput(text);
    else void evaluateInConsole(text);
    setText('');
    setHistoryIndex(null);
    setCompletions([]);
  };

  const complete = async () => {
    const caret = inputRef.current?.selectionStart ?? text.length;
    const items = await fetchCompletions(text, caret + 1);
    if (items.length === 1 && items[0]) accept(items[0]);
    else {
      setCompletions(items.slice(0, 50));
      setChosen(0);
    }
  };

  const accept = (item: DebugProtocol.CompletionItem) => {
    const caret = inputRef.current?.selectionStart ?? text.length;
    const result = applyCompletion(text, caret, item);
    setText(result.text);
    setCompletions([]);
    requestAnimationFrame(() => inputRef.current?.setSelectionRange(result.caret, result.caret));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (completions.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setChosen((chosen + step + completions.length) % completions.length);
        event.preventDefault();
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        const item = completions[chosen];
        if (item) accept(item);
        event.preventDefault();
        return;
      }
      if (event.key === 'Escape') {
        setCompletions([]);
        event.preventDefault();
        return;
      }
    }
    if (event.key === 'Enter') {
      event.preventDefault();
      submit();
    } else if (mode === 'evaluate' && (event.key === 'Tab' || (event.key === ' ' && event.ctrlKey))) {
      event.preventDefault();
      void complete();
    } else if (event.key === 'ArrowUp' && history.length > 0) {
      event.preventDefault();
      const next = historyIndex === null ? history.length - 1 : Math.max(historyIndex - 1, 0);
      setHistoryIndex(next);
      setText(history[next] ?? '');
    } else if (event.key === 'ArrowDown' && historyIndex !== null) {
      event.preventDefault();
      const next = historyIndex + 1;
      if (next >= history.length) {
        setHistoryIndex(null);
        setText('');
      } else {
        setHistoryIndex(next);
        setText(history[next] ?? '');
      }
    }
  };

  const label = mode === 'programInput' ? 'Program input' : 'Evaluate expression';
  return (
    <div className="console-input">
      <label className="mode-toggle" title="Send what you type to the program's standard input (for input() calls)">
        <input
          type="checkbox"
          checked={mode === 'programInput'}
          onChange={(event) => useConsoleStore.getState().setInputMode(event.target.checked ? 'programInput' : 'evaluate')}
        />
        Program input
      </label>
      <span className="prompt" aria-hidden="true">
        {mode === 'programInput' ? '⏎' : '>'}
      </span>
      <div className="console-entry">
        <input
          ref={inputRef}
          aria-label={label}
          role="combobox"
          aria-expanded={completions.length > 0}
          aria-controls="console-completions"
          aria-autocomplete="list"
          placeholder={
            mode === 'programInput'
              ? active
                ? 'Type a line for the program’s stdin and press Enter'
                : 'Start debugging to send input to the program'
              : 'Evaluate in the selected frame (Tab completes, ↑↓ history)'
          }
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setCompletions([]);
          }}
          onKeyDown={onKeyDown}
        />
        {completions.length > 0 ? (
          <ul id="console-completions" role="listbox" aria-label="Completions" className="completions">
            {completions.map((item, index) => (
              <li
                key={`${item.label}-${index}`}
                role="option"
                aria-selected={index === chosen}
                className={index === chosen ? 'chosen' : ''}
                onMouseDown={(event) => {
                  event.preventDefault();
                  accept(item);
                }}
              >
                {item.label}
                {item.type ? <span className="completion-type">{item.type}</span> : null}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}
