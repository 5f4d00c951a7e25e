/**
 * Everything between the UI and its host window: menu commands and "open this file"
 * from the host, unsaved-edits state (host asks on close; the browser gets a
 * beforeunload guard), the window title, and .py files dropped anywhere on the window.
 */
import { useEffect } from 'react';
import { getBridge } from '../bridge/bridgeAccess';
import { runCommand } from '../session/commands';
import { openFile, resolveDroppedFile } from '../session/fileActions';
import { startDebugging } from '../session/sessionController';
import { applyFolderChanges, showFolder } from '../session/workspaceActions';
import { baseName, selectAnyDirty, useEditorStore } from '../stores/editorStore';
import { useSessionStore } from '../stores/sessionStore';

export function useHostIntegration(): void {
  useEffect(() => {
    const bridge = getBridge();
    const offOpen = bridge.on('app.openFile', (path) => void openFile(path));
    const offMenu = bridge.on('app.menuCommand', (command) => void runCommand(command));
    const offFolder = bridge.on('app.openFolder', (folder) => showFolder(folder));
    const offChanges = bridge.on('folder.changed', (changes) => void applyFolderChanges(changes));
    return () => {
      offOpen();
      offMenu();
      offFolder();
      offChanges();
    };
  }, []);

  const dirty = useEditorStore(selectAnyDirty);
  useEffect(() => {
    void getBridge().invoke('window.setDirty', dirty).catch(() => undefined);
    // Electron's host asks on close itself; a beforeunload veto there would silently keep
    // the window open even after the user chose to discard. Only the browser tab needs it.
    if (!dirty || window.dapper) return;
    const guard = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', guard);
    return () => window.removeEventListener('beforeunload', guard);
  }, [dirty]);

  const activePath = useEditorStore((state) => state.activePath);
  const status = useSessionStore((state) => state.status);
  useEffect(() => {
    const file = activePath ? baseName(activePath) : null;
    const state = status === 'stopped' ? 'Paused' : status === 'running' ? 'Running' : null;
    const title = [file && `${file}${dirty ? ' ●' : ''}`, state, 'Dapper Desktop'].filter(Boolean).join(' — ');
    document.title = title;
    void getBridge().invoke('window.setTitle', title).catch(() => undefined);
  }, [activePath, status, dirty]);

  useEffect(() => {
    const onDragOver = (event: DragEvent) => {
      if (event.dataTransfer?.types.includes('Files')) {
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      }
    };
    const onDrop = (event: DragEvent) => {
      const file = event.dataTransfer?.files[0];
      if (!file) return;
      event.preventDefault();
      void debugDroppedFile(file);
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
    };
  }, []);
}

export async function debugDroppedFile(file: File): Promise<void> {
  const path = await resolveDroppedFile(file);
  if (path && (await openFile(path))) await startDebugging(path);
}
