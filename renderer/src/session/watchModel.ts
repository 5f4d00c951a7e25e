/** Evaluates watch expressions in the selected frame (in the session that owns it); re-run on every stop and frame change. */
import { focusedClient, focusedFrame } from './sessions';
import { loadExpandedDescendants } from './variablesModel';
import { errorText } from '../dap/dapClient';
import { useVariablesStore, type TreeNode } from '../stores/variablesStore';
import { useWatchStore, watchNodeKey, type WatchExpression } from '../stores/watchStore';

export async function evaluateWatches(frameId: number | null): Promise<void> {
  const generation = useVariablesStore.getState().generation;
  await Promise.all(useWatchStore.getState().expressions.map((item) => evaluateWatch(item, frameId, generation)));
  const keys = useWatchStore.getState().expressions.map((item) => watchNodeKey(item.id));
  await loadExpandedDescendants(keys, generation);
}

export async function evaluateWatch(item: WatchExpression, frameId: number | null, generation: number): Promise<void> {
  const key = watchNodeKey(item.id);
  const client = focusedClient();
  if (!client || frameId === null) return;
  try {
    const body = await client.request('evaluate', {
      expression: item.expression,
      frameId,
      context: 'watch',
    });
    if (useVariablesStore.getState().generation !== generation) return;
    const node: TreeNode = {
      key,
      kind: 'watch',
      name: item.expression,
      value: body.result,
      type: body.type,
      variablesReference: body.variablesReference,
      indexedVariables: body.indexedVariables,
      namedVariables: body.namedVariables,
      containerReference: 0,
    };
    useVariablesStore.getState().setError(key, null);
    useVariablesStore.getState().putNode(node);
  } catch (error) {
    if (useVariablesStore.getState().generation !== generation) return;
    useVariablesStore.getState().setError(key, errorText(error));
  }
}

/** Adds a watch expression and evaluates it in the selected frame at once (Variables' Add to Watch). */
export async function addWatchExpression(expression: string): Promise<void> {
  const item = useWatchStore.getState().add(expression);
  if (item) await evaluateWatchNow(item);
}

/** Evaluates one (new or edited) watch expression in the selected frame, if the program is stopped there. */
export async function evaluateWatchNow(item: WatchExpression): Promise<void> {
  const focus = focusedFrame();
  await evaluateWatch(item, focus?.stopped ? focus.frameId : null, useVariablesStore.getState().generation);
}
