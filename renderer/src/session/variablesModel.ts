/**
 * Fetches scopes and variables lazily, paging large collections into ranges of 100 the
 * way VS Code does ([0..99], [100..199], …; ranges of ranges past 10,000 items), and sets
 * values. Requests answered after the program moved on are ignored (generation check).
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { focusedClient } from './sessions';
import { errorText } from '../dap/dapClient';
import { useVariablesStore, type TreeNode } from '../stores/variablesStore';

export const CHUNK_SIZE = 100;

export interface IndexRange {
  readonly start: number;
  readonly count: number;
}

/** Splits `count` indexed children (starting at `start`) into at most CHUNK_SIZE ranges; null if none needed. */
export function chunkRanges(start: number, count: number): IndexRange[] | null {
  if (count <= CHUNK_SIZE) return null;
  let size = CHUNK_SIZE;
  while (count > size * CHUNK_SIZE) size *= CHUNK_SIZE;
  const ranges: IndexRange[] = [];
  for (let offset = 0; offset < count; offset += size) {
    ranges.push({ start: start + offset, count: Math.min(size, count - offset) });
  }
  return ranges;
}

export function rangeLabel(range: IndexRange): string {
  return `[${range.start}..${range.start + range.count - 1}]`;
}

export async function loadScopes(frameId: number): Promise<void> {
  const client = focusedClient();
  if (!client) return;
  const generation = useVariablesStore.getState().generation;
  try {
    const body = await client.request('scopes', { frameId });
    if (useVariablesStore.getState().generation !== generation) return;
    const nodes: TreeNode[] = body.scopes.map((scope) => ({
      key: scope.name,
      kind: 'scope',
      name: scope.name,
      value: '',
      variablesReference: scope.variablesReference,
      indexedVariables: scope.indexedVariables,
      namedVariables: scope.namedVariables,
      containerReference: 0,
      expensive: scope.expensive,
    }));
    useVariablesStore.getState().setScopes(nodes);
    const { expanded } = useVariablesStore.getState();
    const anyScopeRemembered = nodes.some((node) => expanded[node.key]);
    const firstCheap = nodes.find((node) => !node.expensive);
    if (!anyScopeRemembered && firstCheap) useVariablesStore.getState().setExpanded(firstCheap.key, true);
    await loadExpandedDescendants(nodes.map((node) => node.key), generation);
  } catch (error) {
    if (useVariablesStore.getState().generation === generation) {
      useVariablesStore.getState().setError('scopes', errorText(error));
    }
  }
}

/** Re-fetches every remembered-expanded node below `keys`, so a step keeps the tree open. */
export async function loadExpandedDescendants(keys: readonly string[], generation: number): Promise<void> {
  for (const key of keys) {
    if (!useVariablesStore.getState().expanded[key]) continue;
    await loadChildren(key);
    if (useVariablesStore.getState().generation !== generation) return;
    await loadExpandedDescendants(useVariablesStore.getState().children[key] ?? [], generation);
  }
}

export async function loadChildren(key: string): Promise<void> {
  const state = useVariablesStore.getState();
  const node = state.nodes[key];
  const client = focusedClient();
  if (!node || !client || state.loading[key] || state.children[key]) return;
  const generation = state.generation;
  state.setLoading(key, true);
  state.setError(key, null);
  try {
    const children = await fetchChildren(node);
    if (useVariablesStore.getState().generation !== generation) return;
    useVariablesStore.getState().setChildren(key, children);
  } catch (error) {
    if (useVariablesStore.getState().generation === generation) {
      useVariablesStore.getState().setError(key, errorText(error));
    }
  } finally {
    if (useVariablesStore.getState().generation === generation) useVariablesStore.getState().setLoading(key, false);
  }
}

async function fetchChildren(node: TreeNode): Promise<TreeNode[]> {
  if (node.kind === 'chunk' && node.range) {
    const subRanges = chunkRanges(node.range.start, node.range.count);
    if (subRanges) return subRanges.map((range) => chunkNode(node.key, node.containerReference, range));
    const variables = await requestVariables(node.containerReference, 'indexed', node.range.start, node.range.count);
    return toNodes(node.key, node.containerReference, variables);
  }
  const indexed = node.indexedVariables ?? 0;
  const ranges = chunkRanges(0, indexed);
  if (!ranges) {
    return toNodes(node.key, node.variablesReference, await requestVariables(node.variablesReference));
  }
  const named = (node.namedVariables ?? 0) > 0 ? await requestVariables(node.variablesReference, 'named') : [];
  return [
    ...toNodes(node.key, node.variablesReference, named),
    ...ranges.map((range) => chunkNode(node.key, node.variablesReference, range)),
  ];
}

async function requestVariables(
  variablesReference: number,
  filter?: 'indexed' | 'named',
  start?: number,
  count?: number,
): Promise<DebugProtocol.Variable[]> {
  const client = focusedClient();
  if (!client) return [];
  const body = await client.request('variables', {
    variablesReference,
    ...(filter ? { filter } : {}),
    ...(start !== undefined ? { start, count } : {}),
  });
  return body.variables;
}

function chunkNode(parentKey: string, containerReference: number, range: IndexRange): TreeNode {
  const label = rangeLabel(range);
  return {
    key: `${parentKey}/${label}`,
    kind: 'chunk',
    name: label,
    value: '',
    variablesReference: 0,
    containerReference,
    range,
  };
}

export function toNodes(parentKey: string, containerReference: number, variables: readonly DebugProtocol.Variable[]): TreeNode[] {
  const seen = new Map<string, number>();
  return variables.map((variable) => {
    const repeat = seen.get(variable.name) ?? 0;
    seen.set(variable.name, repeat + 1);
    const suffix = repeat === 0 ? '' : `#${repeat}`;
    return {
      key: `${parentKey}/${variable.name}${suffix}`,
      kind: 'variable',
      name: variable.name,
      value: variable.value,
      type: variable.type,
      variablesReference: variable.variablesReference,
      indexedVariables: variable.indexedVariables,
      namedVariables: variable.namedVariables,
      evaluateName: variable.evaluateName,
      containerReference,
      readOnly: variable.presentationHint?.attributes?.includes('readOnly'),
    };
  });
}

/** Sets a variable's value (setVariable); returns an error message for the user, or null. */
export async function setVariableValue(key: string, value: string): Promise<string | null> {
  const client = focusedClient();
  const node = useVariablesStore.getState().nodes[key];
  if (!client || !node) return 'The program is not stopped, so values cannot be changed now.';
  if (node.kind !== 'variable' || node.containerReference === 0) return `${node.name} cannot be changed here.`;
  try {
    const body = await client.request('setVariable', {
      variablesReference: node.containerReference,
      name: node.name,
      value,
    });
    useVariablesStore.getState().updateNode(key, {
      value: body.value,
      type: body.type ?? node.type,
      variablesReference: body.variablesReference ?? 0,
      indexedVariables: body.indexedVariables,
      namedVariables: body.namedVariables,
    });
    return null;
  } catch (error) {
    return `Could not set ${node.name}: ${errorText(error)}`;
  }
}
