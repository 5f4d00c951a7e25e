/**
 * Restart Frame after Apply Changes: stopped in a function, edit it, apply, restart that frame
 * from the Call Stack, continue — the Debug Console shows the new code's value for that very
 * call. Also from the apply summary's one-click offer.
 */
import type { Page } from '@playwright/test';
import { clickGlyphMargin, replaceLineText } from './helpers/editor';
import { consoleOutput, expectStoppedIn, panel, toolbarButton } from './helpers/debugUi';
import { expect, test } from './helpers/dapperApp';

// e2e/scripts/greeter.py
const GREETING = 5; //     greeting = "hello " + name
const RETURN = 6; //       return greeting

async function stopInGreetAndApply(page: Page): Promise<void> {
  await expectStoppedIn(page, '<module>');
  await clickGlyphMargin(page, RETURN);
  await toolbarButton(page, 'Continue').click();
  await expectStoppedIn(page, 'greet');
  await replaceLineText(page, GREETING, 'greeting = "goodbye " + name');
  await toolbarButton(page, 'Apply Changes').click();
  await expect(consoleOutput(page)).toContainText('Applied greeter.py');
  await expect(panel(page, 'Call Stack').getByText('old code')).toBeVisible();
}

async function continueToEnd(page: Page): Promise<void> {
  await clickGlyphMargin(page, RETURN);
  await toolbarButton(page, 'Continue').click();
  await expect(consoleOutput(page)).toContainText('done');
  await expect(consoleOutput(page)).toContainText('goodbye world');
  await expect(consoleOutput(page)).not.toContainText('hello world');
}

test('Restart Frame from the Call Stack runs the stopped call again with the applied code', async ({ launchDapper, scriptCopy }) => {
  const { page } = await launchDapper({ script: scriptCopy('greeter.py') });
  await stopInGreetAndApply(page);

  const stack = panel(page, 'Call Stack');
  const row = stack.getByRole('listitem').filter({ has: page.getByRole('button', { name: /^greet \(old code\)/ }) });
  await row.hover();
  const restart = row.getByRole('button', { name: 'Restart Frame' });
  await expect(restart).toHaveAttribute('title', /not undone/);
  await restart.click();
  await expectStoppedIn(page, 'greet');
  await expect(stack.getByText('paused on restart')).toBeVisible();
  await expect(stack.getByText('old code')).toHaveCount(0);
  // The module body cannot be restarted: its button says why.
  const moduleRow = stack.getByRole('listitem').filter({ has: page.getByRole('button', { name: /^<module>/ }) });
  await expect(moduleRow.getByRole('button', { name: 'Restart Frame' })).toHaveAttribute('title', /module body/);

  await continueToEnd(page);
});

test('the apply summary offers Restart frame in one click while the current frame runs old code', async ({ launchDapper, scriptCopy }) => {
  const { page } = await launchDapper({ script: scriptCopy('greeter.py') });
  await stopInGreetAndApply(page);

  const status = page.getByRole('status', { name: 'Status' });
  await status.getByRole('button', { name: 'Restart frame' }).click();
  await expectStoppedIn(page, 'greet');
  await expect(panel(page, 'Call Stack').getByText('paused on restart')).toBeVisible();
  await expect(status.getByRole('button', { name: 'Restart frame' })).toHaveCount(0);

  await continueToEnd(page);
});
