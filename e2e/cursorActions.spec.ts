/**
 * Run to Cursor and Jump to Cursor from the editor's context menu (the program runs to the
 * clicked line without a breakpoint left behind, and jumps within the stopped function), and
 * Add to Watch from a variable's row.
 */
import { contextMenuOnLine } from './helpers/editor';
import { consoleOutput, expectStoppedIn, expectVariable, panel, toolbarButton } from './helpers/debugUi';
import { expect, test } from './helpers/dapperApp';

// e2e/scripts/counter.py
const VALUE_LINE = 11; // value = compute(i)
const PRINT_VALUE = 12; // print(f"value {value}")

test('Run to Cursor stops on the line once; Jump to Cursor moves the current line back', async ({ launchDapper, scriptCopy }) => {
  const script = scriptCopy('counter.py');
  const { page } = await launchDapper({ script });
  await expectStoppedIn(page, '<module>');

  await contextMenuOnLine(page, PRINT_VALUE, 'Run to Cursor');
  await expectStoppedIn(page, 'main');
  await expect(panel(page, 'Call Stack').getByRole('button', { name: /^main, counter\.py:12/ })).toBeVisible();
  await expectVariable(page, 'value', '0');
  await expect(panel(page, 'Breakpoints')).toContainText("Click in the editor's left margin"); // none added

  await contextMenuOnLine(page, VALUE_LINE, 'Jump to Cursor');
  await expect(panel(page, 'Call Stack').getByRole('button', { name: /^main, counter\.py:11/ })).toBeVisible();

  // No breakpoint was left behind: the program now runs on.
  await toolbarButton(page, 'Continue').click();
  await expect(consoleOutput(page)).toContainText('value 4');
  await expect(toolbarButton(page, 'Pause')).toBeEnabled();
});

test("a variable's row adds it to Watch, evaluated in the stopped frame", async ({ launchDapper, scriptCopy }) => {
  const script = scriptCopy('counter.py');
  const { page } = await launchDapper({ script });
  await expectStoppedIn(page, '<module>');
  await contextMenuOnLine(page, PRINT_VALUE, 'Run to Cursor');
  await expectStoppedIn(page, 'main');
  const row = panel(page, 'Variables').getByRole('treeitem', { name: 'value = 0', exact: true });
  await row.hover();
  await row.getByRole('button', { name: 'Add value to Watch' }).click();
  await expect(panel(page, 'Watch').getByRole('treeitem', { name: 'value = 0', exact: true })).toBeVisible();
});
