/**
 * The editor highlights the two languages the app opens, Python and JSON (launch.json), with
 * the grammars bundled in the app: keywords, names, strings and comments get colours of their own.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './helpers/dapperApp';
import { copyProject } from './helpers/projects';

/** The colour the editor shows a token in: the rendered span whose whole text matches. */
async function tokenColor(page: Page, text: RegExp): Promise<string> {
  const token = page.locator('.monaco-editor .view-lines .view-line span span').filter({ hasText: text }).first();
  await expect(token).toBeVisible();
  return token.evaluate((element) => getComputedStyle(element).color);
}

test('a Python file and launch.json are highlighted in the editor', async ({ launchDapper, workDir }) => {
  const folder = copyProject('greeter', workDir);
  const { page } = await launchDapper({ folder });
  const explorer = page.getByRole('tree', { name: 'Explorer' });

  await explorer.getByRole('treeitem', { name: 'greeter', exact: true }).click();
  await explorer.getByRole('treeitem', { name: '__init__.py', exact: true }).click();
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('def greet');
  const keyword = await tokenColor(page, /^def$/);
  const name = await tokenColor(page, /^\s*greet/);
  const docstring = await tokenColor(page, /A\stiny\spackage/);
  expect(new Set([keyword, name, docstring]).size, `def ${keyword}, greet ${name}, docstring ${docstring}`).toBe(3);

  await explorer.getByRole('treeitem', { name: '.vscode', exact: true }).click();
  await explorer.getByRole('treeitem', { name: 'launch.json', exact: true }).click();
  await expect(page.getByRole('tab', { name: 'launch.json' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('"configurations"');
  const property = await tokenColor(page, /^"version"$/);
  const value = await tokenColor(page, /^"0\.2\.0"$/);
  const comment = await tokenColor(page, /^\/\/\sConfigurations\sas\sVS\sCode/);
  expect(new Set([property, value, comment]).size, `"version" ${property}, "0.2.0" ${value}, comment ${comment}`).toBe(3);
});
