/**
 * Launches that run a module from a folder: a launch.json configuration with module, args and
 * env started with F5, and "Debug Test" code lenses running pytest on one test.
 * Debian's /usr/bin/python3 has pytest (python3-pytest, installed by .ci/run).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './helpers/dapperApp';
import { clickGlyphMargin, replaceLineText } from './helpers/editor';
import { consoleOutput, expectStoppedIn, toolbarButton } from './helpers/debugUi';
import { copyProject } from './helpers/projects';

const SYSTEM_PYTHON = '/usr/bin/python3';

/** Settings as the app keeps them, written before it starts: this test's interpreter. */
function useInterpreter(workDir: string, python: string): void {
  fs.mkdirSync(path.join(workDir, '.config'), { recursive: true });
  fs.writeFileSync(path.join(workDir, '.config', 'settings.json'), JSON.stringify({ python }));
}

const picker = (page: Page) => page.getByRole('combobox', { name: 'Launch configuration' });

test('a launch.json configuration with module, args and env runs with F5, and the choice is remembered', async ({ launchDapper, workDir }) => {
  useInterpreter(workDir, SYSTEM_PYTHON);
  const folder = copyProject('greeter', workDir);
  const { page } = await launchDapper({ folder });
  await expect(page.getByRole('tree', { name: 'Explorer' }).getByRole('treeitem', { name: 'greeter', exact: true })).toBeVisible();

  await expect(picker(page).locator('option:not([disabled])')).toHaveText(['Current File', 'Greet Ada', 'Add Configuration…', 'Open launch.json']);
  await picker(page).selectOption('Greet Ada');
  await page.keyboard.press('F5');
  await expect(consoleOutput(page)).toContainText('Hello, Ada! (mode from launch.json)');
  await expect(consoleOutput(page)).toContainText('Session ended (exit code 0)');

  await page.reload();
  await expect(picker(page)).toHaveValue('Greet Ada');
});

test('"Debug Test" stops at a breakpoint in a pytest test, and the run ends with pytest\'s summary', async ({ launchDapper, workDir }) => {
  useInterpreter(workDir, SYSTEM_PYTHON);
  const folder = copyProject('greeter', workDir);
  const { page } = await launchDapper({ folder });
  const explorer = page.getByRole('tree', { name: 'Explorer' });
  await explorer.getByRole('treeitem', { name: 'tests', exact: true }).click();
  await explorer.getByRole('treeitem', { name: 'test_greeting.py', exact: true }).click();
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('def test_greets_by_name');

  const lenses = page.locator('.monaco-editor .codelens-decoration a');
  await expect(lenses.filter({ hasText: 'Debug Tests in File' })).toHaveCount(1);
  await expect(lenses.filter({ hasText: /^Debug Test$/ })).toHaveCount(3);

  // tests/test_greeting.py line 6: `assert message == "Hello, Ada!"` in test_greets_by_name.
  await clickGlyphMargin(page, 6);
  await lenses.filter({ hasText: /^Debug Test$/ }).first().click();
  await expectStoppedIn(page, 'test_greets_by_name');
  await expect(page.getByRole('region', { name: 'Variables' }).getByRole('treeitem', { name: "message = 'Hello, Ada!'" })).toBeVisible();
  await toolbarButton(page, 'Continue').click();
  await expect(consoleOutput(page)).toContainText(/1 passed/);
  await expect(consoleOutput(page)).not.toContainText('test_greets_anyone');
});

test('Apply Changes inside a test run: a test edited while stopped in another runs its new code', async ({ launchDapper, workDir }) => {
  useInterpreter(workDir, SYSTEM_PYTHON);
  const folder = copyProject('greeter', workDir);
  const { page } = await launchDapper({ folder });
  const explorer = page.getByRole('tree', { name: 'Explorer' });
  await explorer.getByRole('treeitem', { name: 'tests', exact: true }).click();
  await explorer.getByRole('treeitem', { name: 'test_greeting.py', exact: true }).click();
  const lenses = page.locator('.monaco-editor .codelens-decoration a');
  await expect(lenses.filter({ hasText: 'Debug Tests in File' })).toHaveCount(1);

  await clickGlyphMargin(page, 6);
  await lenses.filter({ hasText: 'Debug Tests in File' }).click();
  await expectStoppedIn(page, 'test_greets_by_name');
  // tests/test_greeting.py line 10, in test_greets_anyone, which has not run yet.
  await replaceLineText(page, 10, 'assert greet("Bob") == "edited while stopped"');
  await page.keyboard.press('Control+S');
  await expect(page.getByRole('tab', { name: 'test_greeting.py' })).not.toContainText('⚡');
  await toolbarButton(page, 'Continue').click();
  await expect(consoleOutput(page)).toContainText(/1 failed, 2 passed/);
  await expect(consoleOutput(page)).toContainText('edited while stopped');
});
