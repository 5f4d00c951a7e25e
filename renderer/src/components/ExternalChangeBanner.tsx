/** Above the editor when the active file changed on disk while it had unsaved edits. */
import { keepMyVersion, reloadFromDisk } from '../session/workspaceActions';
import { baseName, useEditorStore } from '../stores/editorStore';
import { useExternalChangeStore } from '../stores/externalChangeStore';

export function ExternalChangeBanner() {
  const activePath = useEditorStore((state) => state.activePath);
  const conflict = useExternalChangeStore((state) => (activePath ? state.conflicts[activePath] : undefined));
  if (!activePath || !conflict) return null;
  return (
    <div className="external-change" role="alert">
      <span>{baseName(activePath)} changed on disk while you were editing it.</span>
      <button type="button" onClick={() => reloadFromDisk(activePath, conflict.content, conflict.mtimeMs)}>
        Reload from Disk
      </button>
      <button type="button" onClick={() => keepMyVersion(activePath)}>
        Keep My Edits
      </button>
    </div>
  );
}
