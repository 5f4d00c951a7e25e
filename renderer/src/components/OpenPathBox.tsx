/** Opening a file or a folder by path: the browser host has no native dialog. */
import { useState } from 'react';
import { openFile } from '../session/fileActions';
import { openFolder } from '../session/workspaceActions';
import { useUiStore } from '../stores/uiStore';

export function OpenPathBox({ autoFocus, kind = 'file' }: { readonly autoFocus?: boolean; readonly kind?: 'file' | 'folder' }) {
  const [path, setPath] = useState('');
  const label = kind === 'folder' ? 'Folder path' : 'File path';
  return (
    <form
      className="open-path"
      onSubmit={async (event) => {
        event.preventDefault();
        if (await (kind === 'folder' ? openFolder(path) : openFile(path))) {
          setPath('');
          useUiStore.getState().setOpenPathVisible(false);
        }
      }}
    >
      <label>
        {label}
        <input
          aria-label={label}
          placeholder={kind === 'folder' ? '/path/to/project' : '/path/to/script.py'}
          value={path}
          autoFocus={autoFocus}
          onChange={(event) => setPath(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') useUiStore.getState().setOpenPathVisible(false);
          }}
        />
      </label>
      <button type="submit" disabled={!path.trim()}>
        Open
      </button>
    </form>
  );
}
