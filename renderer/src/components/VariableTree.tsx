/**
 * A lazy tree of DAP variables: children are fetched when a node is expanded, large
 * collections arrive as [0..99] ranges, values are edited by double-click (or F2/Enter).
 * An object with thousands of named members (attributes, module globals) shows them
 * CHILD_PAGE at a time, with a "Show more" row, so expanding it never renders them all.
 */
import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { loadChildren, setVariableValue } from '../session/variablesModel';
import { notify } from '../stores/noticeStore';
import { hasChildren, useVariablesStore, type TreeNode } from '../stores/variablesStore';

export const CHILD_PAGE = 200;

interface VariableTreeProps {
  readonly rootKeys: readonly string[];
  readonly label: string;
  /** Actions of the root rows only (a watch expression's edit and remove). */
  readonly renderActions?: (node: TreeNode) => ReactNode;
  /** Actions of every variable row, at any depth (Add to Watch, Copy Value). */
  readonly variableActions?: (node: TreeNode) => ReactNode;
  readonly emptyText: string;
}

export function VariableTree({ rootKeys, label, renderActions, variableActions, emptyText }: VariableTreeProps) {
  if (rootKeys.length === 0) return <p className="empty">{emptyText}</p>;
  return (
    <ul role="tree" aria-label={label} className="tree">
      {rootKeys.map((key) => (
        <TreeRow key={key} nodeKey={key} level={1} renderActions={renderActions} variableActions={variableActions} />
      ))}
    </ul>
  );
}

interface TreeRowProps {
  readonly nodeKey: string;
  readonly level: number;
  readonly renderActions?: (node: TreeNode) => ReactNode;
  readonly variableActions?: (node: TreeNode) => ReactNode;
}

function TreeRow({ nodeKey, level, renderActions, variableActions }: TreeRowProps) {
  const node = useVariablesStore((state) => state.nodes[nodeKey]);
  const expanded = useVariablesStore((state) => Boolean(state.expanded[nodeKey]));
  const children = useVariablesStore((state) => state.children[nodeKey]);
  const loading = useVariablesStore((state) => Boolean(state.loading[nodeKey]));
  const error = useVariablesStore((state) => state.errors[nodeKey]);
  const [editing, setEditing] = useState(false);
  const [shownChildren, setShownChildren] = useState(CHILD_PAGE);
  if (!node) {
    return error ? (
      <li role="treeitem" aria-level={level} aria-selected={false} className="tree-row error-text">
        {error}
      </li>
    ) : null;
  }
  const expandable = hasChildren(node);
  const toggle = () => {
    if (!expandable) return;
    useVariablesStore.getState().setExpanded(nodeKey, !expanded);
    if (!expanded) void loadChildren(nodeKey);
  };
  const editable = node.kind === 'variable' && !node.readOnly;
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowRight' && !expanded) toggle();
    else if (event.key === 'ArrowLeft' && expanded) toggle();
    else if (event.key === 'F2' && editable) setEditing(true);
    else if ((event.key === 'Enter' || event.key === ' ') && expandable) toggle();
    else return;
    event.preventDefault();
    event.stopPropagation();
  };
  return (
    <li
      role="treeitem"
      aria-level={level}
      aria-expanded={expandable ? expanded : undefined}
      aria-selected={false}
      aria-label={node.kind === 'scope' || node.kind === 'chunk' ? node.name : `${node.name} = ${node.value}`}
      className="tree-item"
    >
      <div className={`tree-row kind-${node.kind}`} style={{ paddingLeft: `${(level - 1) * 14 + 4}px` }} tabIndex={0} onKeyDown={onKeyDown}>
        <span className="twisty" aria-hidden="true" onClick={toggle}>
          {expandable ? (expanded ? '▾' : '▸') : ''}
        </span>
        <span className="var-name" onClick={toggle}>
          {node.name}
        </span>
        {node.kind === 'variable' || node.kind === 'watch' ? (
          <>
            <span className="var-separator">{node.kind === 'watch' ? ' = ' : ': '}</span>
            {editing ? (
              <ValueEditor node={node} onDone={() => setEditing(false)} />
            ) : (
              <span
                className="var-value"
                title={`${node.type ? `${node.type}: ` : ''}${node.value}${editable ? ' (double-click to change)' : ''}`}
                onDoubleClick={() => editable && setEditing(true)}
              >
                {node.value}
              </span>
            )}
          </>
        ) : null}
        {renderActions ? renderActions(node) : null}
        {variableActions && node.kind === 'variable' ? variableActions(node) : null}
      </div>
      {error && node ? <div className="error-text tree-error">{error}</div> : null}
      {expanded && expandable ? (
        <ul role="group">
          {loading && !children ? <li className="tree-loading">Loading…</li> : null}
          {(children ?? []).slice(0, shownChildren).map((childKey) => (
            <TreeRow key={childKey} nodeKey={childKey} level={level + 1} renderActions={undefined} variableActions={variableActions} />
          ))}
          {children && children.length > shownChildren ? (
            <ShowMoreRow
              level={level + 1}
              next={Math.min(CHILD_PAGE, children.length - shownChildren)}
              hidden={children.length - shownChildren}
              onShow={() => setShownChildren(shownChildren + CHILD_PAGE)}
            />
          ) : null}
        </ul>
      ) : null}
    </li>
  );
}

function ShowMoreRow({ level, next, hidden, onShow }: { readonly level: number; readonly next: number; readonly hidden: number; readonly onShow: () => void }) {
  return (
    <li role="treeitem" aria-level={level} aria-selected={false} className="tree-item">
      <div className="tree-row kind-more" style={{ paddingLeft: `${(level - 1) * 14 + 18}px` }}>
        <button type="button" className="link-button" onClick={onShow}>
          {`Show ${next} more (${hidden} not shown)`}
        </button>
      </div>
    </li>
  );
}

function ValueEditor({ node, onDone }: { readonly node: TreeNode; readonly onDone: () => void }) {
  const [text, setText] = useState(node.value);
  const finished = useRef(false);
  const commit = async () => {
    if (finished.current) return;
    finished.current = true;
    if (text !== node.value) {
      const problem = await setVariableValue(node.key, text);
      if (problem) notify('error', problem);
    }
    onDone();
  };
  return (
    <input
      className="value-editor"
      aria-label={`New value for ${node.name}`}
      autoFocus
      value={text}
      onChange={(event) => setText(event.target.value)}
      onBlur={() => void commit()}
      onKeyDown={(event) => {
        event.stopPropagation();
        if (event.key === 'Enter') void commit();
        else if (event.key === 'Escape') {
          finished.current = true;
          onDone();
        }
      }}
    />
  );
}
