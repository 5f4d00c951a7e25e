/**
 * Trees of DAP variables (scopes in Variables, expressions in Watch). Nodes are keyed by
 * their name path ("Locals/basket/items/[0..99]/3"), so which nodes are expanded survives
 * a step even though variablesReference numbers change on every stop.
 */
import { create } from 'zustand';

export type TreeNodeKind = 'scope' | 'variable' | 'chunk' | 'watch';

export interface TreeNode {
  readonly key: string;
  readonly kind: TreeNodeKind;
  readonly name: string;
  readonly value: string;
  readonly type?: string;
  /** Reference to fetch this node's children; 0 = no children. */
  readonly variablesReference: number;
  readonly indexedVariables?: number;
  readonly namedVariables?: number;
  readonly evaluateName?: string;
  /** The container that holds this variable (for setVariable); 0 for scopes and watches. */
  readonly containerReference: number;
  /** For chunk nodes: the slice of the container's indexed children this node stands for. */
  readonly range?: { readonly start: number; readonly count: number };
  readonly expensive?: boolean;
  readonly readOnly?: boolean;
}

interface VariablesState {
  readonly scopeKeys: readonly string[];
  readonly nodes: Readonly<Record<string, TreeNode>>;
  readonly children: Readonly<Record<string, readonly string[]>>;
  readonly loading: Readonly<Record<string, true>>;
  readonly errors: Readonly<Record<string, string>>;
  readonly expanded: Readonly<Record<string, true>>;
  /** Bumped on every stop so answers to requests from an earlier stop are dropped. */
  readonly generation: number;
  reset(): void;
  setScopes(nodes: readonly TreeNode[]): void;
  putNode(node: TreeNode): void;
  setChildren(parentKey: string, nodes: readonly TreeNode[]): void;
  setLoading(key: string, loading: boolean): void;
  setError(key: string, message: string | null): void;
  setExpanded(key: string, expanded: boolean): void;
  updateNode(key: string, change: Partial<Pick<TreeNode, 'value' | 'type' | 'variablesReference' | 'indexedVariables' | 'namedVariables'>>): void;
}

export const useVariablesStore = create<VariablesState>()((set, get) => ({
  scopeKeys: [],
  nodes: {},
  children: {},
  loading: {},
  errors: {},
  expanded: {},
  generation: 0,
  reset() {
    set({ scopeKeys: [], nodes: {}, children: {}, loading: {}, errors: {}, generation: get().generation + 1 });
  },
  setScopes(nodes) {
    const next = { ...get().nodes };
    for (const node of nodes) next[node.key] = node;
    set({ nodes: next, scopeKeys: nodes.map((node) => node.key) });
  },
  putNode(node) {
    const { [node.key]: _old, ...children } = get().children;
    set({ nodes: { ...get().nodes, [node.key]: node }, children });
  },
  setChildren(parentKey, nodes) {
    const next = { ...get().nodes };
    for (const node of nodes) next[node.key] = node;
    set({ nodes: next, children: { ...get().children, [parentKey]: nodes.map((node) => node.key) } });
  },
  setLoading(key, loading) {
    const { [key]: _old, ...rest } = get().loading;
    set({ loading: loading ? { ...rest, [key]: true } : rest });
  },
  setError(key, message) {
    const { [key]: _old, ...rest } = get().errors;
    set({ errors: message === null ? rest : { ...rest, [key]: message } });
  },
  setExpanded(key, expanded) {
    const { [key]: _old, ...rest } = get().expanded;
    set({ expanded: expanded ? { ...rest, [key]: true } : rest });
  },
  updateNode(key, change) {
    const node = get().nodes[key];
    if (!node) return;
    const { [key]: _children, ...children } = get().children;
    set({ nodes: { ...get().nodes, [key]: { ...node, ...change } }, children });
  },
}));

export function hasChildren(node: TreeNode): boolean {
  return node.variablesReference > 0 || node.kind === 'chunk';
}
