/** Opening a file by path: the browser host has no native dialog. */
import { useState } from 'react';
import { openFile } from '../session/fileActions';
import { useUiStore } from '../stores/uiStore';

export function OpenPathBox({ autoFocus }: { readonly autoFocus?: boolean }) {
  const [path, setPath] = useState('');
  return (
    <form
      className="open-path"
      onSubmit={async (event) => {
        event.preventDefault();
        if (await openFile(path)) {
          setPath('');
          useUiStore.getState().setOpenPathVisible(false);
        }
      }}
    >
      <label>
        File path
        <input
          aria-label="File path"
          placeholder="/path/to/script.py"
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
