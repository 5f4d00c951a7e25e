/**
 * Quick Open (Ctrl+P): type part of a file's name or path, pick it with the arrows, Enter opens
 * it. Searches the workspace folder's files; without a folder, the open and recent files.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { getBridge } from '../bridge/bridgeAccess';
import { errorText } from '../dap/dapClient';
import { openFile } from '../session/fileActions';
import { fuzzyFilter, type FuzzyMatch } from '../session/fuzzyMatch';
import { useEditorStore } from '../stores/editorStore';
import { useSettingsStore } from '../stores/settingsStore';
import { useUiStore } from '../stores/uiStore';
import { useWorkspaceStore } from '../stores/workspaceStore';

function Highlighted({ match }: { readonly match: FuzzyMatch }) {
  const marked = new Set(match.positions);
  return (
    <>
      {[...match.relative].map((char, index) => (marked.has(index) ? <mark key={index}>{char}</mark> : char))}
    </>
  );
}

export function QuickOpen() {
  const visible = useUiStore((state) => state.quickOpenVisible);
  return visible ? <QuickOpenDialog /> : null;
}

function QuickOpenDialog() {
  const folder = useWorkspaceStore((state) => state.folder);
  const [files, setFiles] = useState<readonly string[] | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const close = () => useUiStore.getState().setQuickOpenVisible(false);

  useEffect(() => {
    inputRef.current?.focus();
    if (!folder) {
      const open = useEditorStore.getState().order;
      const recent = useSettingsStore.getState().settings.recentFiles;
      setFiles([...new Set([...open, ...recent])]);
      return;
    }
    let cancelled = false;
    getBridge()
      .invoke('folder.files', folder)
      .then((result) => {
        if (cancelled) return;
        setFiles(result.files);
        if (result.truncated) setNote(`Only the first ${result.files.length} files of this folder are searched.`);
      })
      .catch((error: unknown) => !cancelled && setNote(`Could not list the folder's files: ${errorText(error)}`));
    return () => {
      cancelled = true;
    };
  }, [folder]);

  const matches = useMemo(() => (files ? fuzzyFilter(query, files, folder ?? '') : []), [files, query, folder]);
  const current = Math.min(selected, Math.max(matches.length - 1, 0));

  const choose = (match: FuzzyMatch | undefined) => {
    if (!match) return;
    close();
    void openFile(match.path);
  };

  return (
    <div className="quick-open-backdrop" onMouseDown={close}>
      <div role="dialog" aria-label="Quick Open" className="quick-open" onMouseDown={(event) => event.stopPropagation()}>
        <input
          ref={inputRef}
          role="combobox"
          aria-label="Search files by name"
          aria-expanded="true"
          aria-controls="quick-open-results"
          aria-activedescendant={matches[current] ? `quick-open-${current}` : undefined}
          placeholder={folder ? 'Search files by name' : 'Search open and recent files by name'}
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setSelected(0);
          }}
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown') setSelected((current + 1) % Math.max(matches.length, 1));
            else if (event.key === 'ArrowUp') setSelected((current - 1 + matches.length) % Math.max(matches.length, 1));
            else if (event.key === 'Enter') choose(matches[current]);
            else if (event.key === 'Escape') close();
            else return;
            event.preventDefault();
          }}
        />
        <ul role="listbox" id="quick-open-results" aria-label="Matching files" className="quick-open-results">
          {matches.map((match, index) => (
            <li
              key={match.path}
              id={`quick-open-${index}`}
              role="option"
              aria-selected={index === current}
              className={index === current ? 'selected' : ''}
              onMouseEnter={() => setSelected(index)}
              onClick={() => choose(match)}
            >
              <Highlighted match={match} />
            </li>
          ))}
        </ul>
        {files === null && !note ? <p className="muted quick-open-note">Listing files…</p> : null}
        {files !== null && matches.length === 0 ? <p className="muted quick-open-note">No file matches.</p> : null}
        {note ? <p className="muted quick-open-note">{note}</p> : null}
      </div>
    </div>
  );
}
