/**
 * Restart Frame after Apply Changes: stopped in a function, edit it, apply, restart that frame
 * from the Call Stack, continue — the Debug Console shows the new code's value for that very
 * call. Also from the apply summary's one-click offer, and inside a pytest test started with
 * "Debug Test".
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from '@playwright/test';
import { clickGlyphMargin, replaceLineText } from './helpers/editor';
import { consoleOutput, expectStoppedIn, panel, toolbarButton } from './helpers/debugUi';
import { expect, test } from './helpers/dapperApp';
import { copyProject } from './helpers/projects';

// e2e/scripts/greeter.py
const GREETING = 5; //     greeting = "hello " + name
const RETURN = 6; //       return greeting

// e2e/projects/greeter/tests/test_greeting.py
const TEST_ASSERT = 6; //  assert message == "Hello, Ada!"  (in test_greets_by_name)

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

test('Restart Frame inside a pytest test: a failing test fixed while stopped in it passes on its new code', async ({ launchDapper, workDir }) => {
  // Debian's /usr/bin/python3 has pytest (python3-pytest, installed by .ci/run).
  fs.mkdirSync(path.join(workDir, '.config'), { recursive: true });
  fs.writeFileSync(path.join(workDir, '.config', 'settings.json'), JSON.stringify({ python: '/usr/bin/python3' }));
  const folder = copyProject('greeter', workDir);
  // The project's first test, broken: its expected text lacks the "!".
  const testFile = path.join(folder, 'tests', 'test_greeting.py');
  fs.writeFileSync(testFile, fs.readFileSync(testFile, 'utf8').replace('assert message == "Hello, Ada!"', 'assert message == "Hello, Ada"'));
  const { page } = await launchDapper({ folder });
  const explorer = page.getByRole('tree', { name: 'Explorer' });
  await explorer.getByRole('treeitem', { name: 'tests', exact: true }).click();
  await explorer.getByRole('treeitem', { name: 'test_greeting.py', exact: true }).click();
  const lenses = page.locator('.monaco-editor .codelens-decoration a');
  await expect(lenses.filter({ hasText: /^Debug Test$/ })).toHaveCount(3);

  await clickGlyphMargin(page, TEST_ASSERT);
  await lenses.filter({ hasText: /^Debug Test$/ }).first().click();
  await expectStoppedIn(page, 'test_greets_by_name');

  // Fixed and applied while stopped in it: the running call still has the old assert.
  await replaceLineText(page, TEST_ASSERT, 'assert message == "Hello, Ada!"');
  await page.keyboard.press('Control+S');
  await expect(consoleOutput(page)).toContainText('Applied test_greeting.py');
  const stack = panel(page, 'Call Stack');
  const row = stack.getByRole('listitem').filter({ has: page.getByRole('button', { name: /^test_greets_by_name \(old code\)/ }) });
  await row.hover();
  await row.getByRole('button', { name: 'Restart Frame' }).click();
  await expectStoppedIn(page, 'test_greets_by_name');
  await expect(stack.getByText('paused on restart')).toBeVisible();
  await expect(stack.getByText('old code')).toHaveCount(0);

  await clickGlyphMargin(page, TEST_ASSERT);
  await toolbarButton(page, 'Continue').click();
  await expect(consoleOutput(page)).toContainText(/1 passed/);
  await expect(consoleOutput(page)).toContainText('Session ended (exit code 0)');
});
