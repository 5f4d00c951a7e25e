/**
 * The Explorer: the workspace folder as an ARIA tree (WAI-ARIA tree view pattern) with one
 * tab stop. Up/Down move, Right opens a folder or enters it, Left closes it or goes to its
 * parent, Home/End jump, Enter/Space open a file or toggle a folder, typing a letter jumps to
 * the next name starting with it. A folder's entries load when it is first opened.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { FolderEntry } from '../../../common/bridge';
import { openFile } from '../session/fileActions';
import { setFolderExpanded } from '../session/workspaceActions';
import { useEditorStore } from '../stores/editorStore';
import { baseName } from '../stores/editorStore';
import { parentOf, useWorkspaceStore, type FolderListing } from '../stores/workspaceStore';
import { Panel } from './Panel';

interface VisibleItem {
  readonly entry: FolderEntry;
  readonly level: number;
  readonly setSize: number;
  readonly position: number;
}

/** The rows a user sees: every entry of every expanded folder, depth first. */
export function visibleItems(
  root: string,
  listings: Readonly<Record<string, FolderListing>>,
  expanded: Readonly<Record<string, true>>,
): VisibleItem[] {
  const rows: VisibleItem[] = [];
  const walk = (folder: string, level: number) => {
    const listing = listings[folder];
    if (listing?.state !== 'loaded') return;
    listing.entries.forEach((entry, index) => {
      rows.push({ entry, level, setSize: listing.entries.length, position: index + 1 });
      if (entry.kind === 'folder' && expanded[entry.path]) walk(entry.path, level + 1);
    });
  };
  walk(root, 1);
  return rows;
}

export function ExplorerView() {
  const folder = useWorkspaceStore((state) => state.folder);
  const listings = useWorkspaceStore((state) => state.listings);
  const expanded = useWorkspaceStore((state) => state.expanded);
  const activePath = useEditorStore((state) => state.activePath);
  const rows = useMemo(() => (folder ? visibleItems(folder, listings, expanded) : []), [folder, listings, expanded]);
  const [focusedPath, setFocusedPath] = useState<string | null>(null);
  const treeRef = useRef<HTMLUListElement>(null);
  const moveFocusRef = useRef(false);

  const focusedIndex = Math.max(0, rows.findIndex((row) => row.entry.path === focusedPath));
  const tabStop = rows[focusedIndex]?.entry.path ?? null;

  useEffect(() => {
    if (!moveFocusRef.current || !tabStop) return;
    moveFocusRef.current = false;
    const rows = treeRef.current?.querySelectorAll<HTMLElement>('[role="treeitem"]') ?? [];
    [...rows].find((row) => row.dataset.path === tabStop)?.focus();
  }, [tabStop, rows]);

  if (!folder) return null;
  const rootListing = listings[folder];

  const focusRow = (index: number) => {
    const row = rows[Math.min(Math.max(index, 0), rows.length - 1)];
    if (!row) return;
    moveFocusRef.current = true;
    setFocusedPath(row.entry.path);
  };

  const activate = (entry: FolderEntry) => {
    setFocusedPath(entry.path);
    if (entry.kind === 'folder') setFolderExpanded(entry.path, !expanded[entry.path]);
    else void openFile(entry.path);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const row = rows[focusedIndex];
    if (!row) return;
    const { entry } = row;
    const isOpenFolder = entry.kind === 'folder' && Boolean(expanded[entry.path]);
    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        focusRow(focusedIndex + 1);
        break;
      case 'ArrowUp':
        focusRow(focusedIndex - 1);
        break;
      case 'Home':
        focusRow(0);
        break;
      case 'End':
        focusRow(rows.length - 1);
        break;
      case 'ArrowRight':
        if (entry.kind === 'folder' && !isOpenFolder) setFolderExpanded(entry.path, true);
        else if (isOpenFolder && rows[focusedIndex + 1]?.level === row.level + 1) focusRow(focusedIndex + 1);
        break;
      case 'ArrowLeft':
        if (isOpenFolder) setFolderExpanded(entry.path, false);
        else if (row.level > 1) focusRow(rows.findIndex((candidate) => candidate.entry.path === parentOf(entry.path)));
        break;
      case 'Enter':
      case ' ':
        activate(entry);
        break;
      default:
        handled = event.key.length === 1 && /\S/.test(event.key) && !event.ctrlKey && !event.metaKey && !event.altKey;
        if (handled) {
          const letter = event.key.toLowerCase();
          const order = [...rows.slice(focusedIndex + 1), ...rows.slice(0, focusedIndex + 1)];
          const next = order.find((candidate) => candidate.entry.name.toLowerCase().startsWith(letter));
          if (next) focusRow(rows.indexOf(next));
        }
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  };

  return (
    <Panel title="Explorer" className="explorer-panel" actions={<span className="muted explorer-folder" title={folder}>{baseName(folder)}</span>}>
      {rootListing?.state === 'error' ? <p className="empty error-text">{rootListing.message}</p> : null}
      {rootListing?.state === 'loaded' && rows.length === 0 ? <p className="empty">This folder is empty.</p> : null}
      <ul role="tree" aria-label="Explorer" className="explorer-tree" ref={treeRef} onKeyDown={onKeyDown}>
        {rows.map((row) => {
          const { entry } = row;
          const open = entry.kind === 'folder' && Boolean(expanded[entry.path]);
          const listing = entry.kind === 'folder' && open ? listings[entry.path] : undefined;
          return (
            <li
              key={entry.path}
              role="treeitem"
              data-path={entry.path}
              aria-level={row.level}
              aria-setsize={row.setSize}
              aria-posinset={row.position}
              aria-expanded={entry.kind === 'folder' ? open : undefined}
              aria-selected={entry.path === activePath}
              aria-busy={listing?.state === 'loading' ? true : undefined}
              tabIndex={entry.path === tabStop ? 0 : -1}
              className={`explorer-row ${entry.path === activePath ? 'active' : ''}`}
              style={{ paddingLeft: `${(row.level - 1) * 12 + 6}px` }}
              title={listing?.state === 'error' ? listing.message : entry.path}
              onClick={() => activate(entry)}
              onFocus={() => setFocusedPath(entry.path)}
            >
              <span className={`twisty ${entry.kind === 'folder' ? (open ? 'twisty-open' : 'twisty-closed') : ''}`} aria-hidden="true" />
              <span className={`explorer-name kind-${entry.kind}`}>{entry.name}</span>
            </li>
          );
        })}
      </ul>
    </Panel>
  );
}
