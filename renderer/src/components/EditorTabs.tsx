/** Open files as tabs: ● marks unsaved edits, ⚡ marks edits the running program has not got yet. */
import { closeFile } from '../session/fileActions';
import { hasUnappliedChanges, isDirty, useEditorStore } from '../stores/editorStore';

export function EditorTabs() {
  const order = useEditorStore((state) => state.order);
  const files = useEditorStore((state) => state.files);
  const activePath = useEditorStore((state) => state.activePath);
  const loadedPaths = useEditorStore((state) => state.loadedPaths);
  return (
    <div role="tablist" aria-label="Open files" className="tabs">
      {order.map((path) => {
        const file = files[path];
        if (!file) return null;
        const dirty = isDirty(file);
        const unapplied = hasUnappliedChanges(file, Boolean(loadedPaths[path]));
        const selected = path === activePath;
        return (
          <div key={path} className={`tab ${selected ? 'active' : ''}`} title={file.readOnly ? `${path} (read-only: the debugged program's copy)` : path}>
            <button
              type="button"
              role="tab"
              aria-selected={selected}
              className="tab-label"
              onClick={() => useEditorStore.getState().setActive(path)}
              onAuxClick={(event) => event.button === 1 && closeFile(path)}
            >
              {file.name}
              {dirty ? (
                <span className="dirty-marker" aria-label="unsaved changes" title="Unsaved changes">
                  {' '}●
                </span>
              ) : null}
              {unapplied ? (
                <span className="unapplied-marker" aria-label="not applied" title="The running program does not have these edits yet — Apply Changes">
                  {' '}⚡
                </span>
              ) : null}
            </button>
            <button type="button" className="tab-close" aria-label={`Close ${file.name}`} title="Close" onClick={() => closeFile(path)}>
              ✕
            </button>
          </div>
        );
      })}
    </div>
  );
}
