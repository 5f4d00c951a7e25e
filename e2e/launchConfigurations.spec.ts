/** A folder's .vscode/launch.json: "Add Configuration…" templates, schema validation in the editor, problems named. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './helpers/dapperApp';
import { replaceLineText } from './helpers/editor';
import { copyProject } from './helpers/projects';

const picker = (page: Page) => page.getByRole('combobox', { name: 'Launch configuration' });

test('Add Configuration inserts a template into launch.json, which the editor validates against the schema', async ({ launchDapper, workDir }) => {
  const folder = copyProject('greeter', workDir);
  fs.rmSync(path.join(folder, '.vscode'), { recursive: true });
  const { page } = await launchDapper({ folder });
  await expect(picker(page)).toHaveValue('Current File');

  await picker(page).selectOption('Add Configuration…');
  const templates = page.getByRole('menu', { name: 'Configuration templates' }).getByRole('menuitem');
  await expect(templates).toHaveText([/^Current File/, /^Module/, /^pytest/, /^Flask/, /^Django/, /^FastAPI \(uvicorn\)/, /^Attach/]);
  await templates.filter({ hasText: /^Flask/ }).click();

  await expect(page.getByRole('tab', { name: 'launch.json' })).toHaveAttribute('aria-selected', 'true');
  await expect(picker(page)).toHaveValue('Python: Flask');
  const saved = fs.readFileSync(path.join(folder, '.vscode', 'launch.json'), 'utf8');
  expect(JSON.parse(saved).configurations[0]).toMatchObject({ module: 'flask', args: ['run', '--no-debugger', '--no-reload'] });

  // The JSON language service knows the schema: a wrong "request" is marked in the editor.
  fs.writeFileSync(path.join(folder, '.vscode', 'launch.json'), saved.replace('"request": "launch"', '"request": "lunch"'));
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('"lunch"');
  await expect(page.locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error').first()).toBeVisible();
  // …and the picker says what is wrong with the file.
  await expect(page.getByRole('button', { name: 'launch.json has problems' })).toHaveAttribute('title', /"request" must be "launch" or "attach", got "lunch"/);

  // …and completes from it: property names of a configuration.
  await replaceLineText(page, 5, '"name": "Python: Flask", "just');
  await page.keyboard.press('Control+Space');
  await expect(page.locator('.monaco-editor .suggest-widget')).toContainText('justMyCode');
});
