/**
 * Ctrl+Alt+Enter is Replace All in Monaco's find widget (Ctrl+H), as in VS Code: with the
 * widget open it replaces every match and Apply Changes stays out of it; closed, it is Apply
 * Changes again.
 */
import * as fs from 'node:fs';
import { expect, test } from './helpers/dapperApp';
import { consoleOutput, expectStoppedIn, toolbarButton } from './helpers/debugUi';
import { editor } from './helpers/editor';
import { tracedRequestCount } from './helpers/dapTrace';

test('Ctrl+Alt+Enter in the find widget replaces all; with the widget closed it applies the changes', async ({ launchDapper, scriptCopy }) => {
  const script = scriptCopy('counter.py');
  const app = await launchDapper({ script });
  const { page } = app;
  await expectStoppedIn(page, '<module>');
  const text = editor(page).locator('.view-lines');
  await expect(text).toContainText('return n * 2');

  await editor(page).locator('.view-lines').click();
  await page.keyboard.press('Control+H');
  const findWidget = editor(page).locator('.find-widget.visible');
  await expect(findWidget).toBeVisible();
  await page.keyboard.type('n * 2');
  await findWidget.getByRole('textbox', { name: 'Replace' }).fill('n * 3');
  await page.keyboard.press('Control+Alt+Enter');

  await expect(text).toContainText('return n * 3');
  // Replace All only: nothing was saved or applied.
  expect(fs.readFileSync(script, 'utf8')).toContain('return n * 2');
  await expect(consoleOutput(page)).not.toContainText('Applied counter.py');

  await page.keyboard.press('Escape');
  await expect(findWidget).toBeHidden();
  await editor(page).locator('.view-lines').click();
  await page.keyboard.press('Control+Alt+Enter');
  await expect(consoleOutput(page)).toContainText('Applied counter.py');
  await expect.poll(() => fs.readFileSync(script, 'utf8')).toContain('return n * 3');
  await expect(toolbarButton(page, 'Apply Changes')).toBeDisabled();
  // One apply in all: the Replace All in the find widget sent none, not even late.
  expect(tracedRequestCount(app.serverOutput(), 'dapper/hotReload')).toBe(1);
});
