/** Folders: the Explorer lists and watches the folder given on the command line; Quick Open finds files. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect, test } from './helpers/dapperApp';
import { copyProject } from './helpers/projects';

test('a folder opens in the Explorer, is keyboard navigable, watched, and Quick Open finds its files', async ({ launchDapper, workDir }) => {
  const folder = copyProject('greeter', workDir);
  fs.mkdirSync(path.join(folder, '__pycache__'));
  fs.mkdirSync(path.join(folder, '.venv'));
  fs.writeFileSync(path.join(folder, '.venv', 'pyvenv.cfg'), 'home = /usr/bin\n');
  const { page } = await launchDapper({ folder });

  const explorer = page.getByRole('tree', { name: 'Explorer' });
  const item = (name: string) => explorer.getByRole('treeitem', { name, exact: true });
  await expect(item('greeter')).toBeVisible();
  await expect(explorer.getByRole('treeitem')).toHaveText(['.vscode', 'greeter', 'tests']);

  // Keyboard, as the WAI-ARIA tree pattern says: the tree is one tab stop, arrows move and open.
  await item('.vscode').focus();
  await page.keyboard.press('ArrowDown');
  await expect(item('greeter')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(item('greeter')).toHaveAttribute('aria-expanded', 'true');
  await expect(item('cli.py')).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(item('__init__.py')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(item('cli.py')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: 'cli.py' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('def main():');
  await item('cli.py').focus();
  await page.keyboard.press('ArrowLeft');
  await expect(item('greeter')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(item('greeter')).toHaveAttribute('aria-expanded', 'false');
  await expect(item('cli.py')).toHaveCount(0);

  // Changes made by another program show up.
  fs.writeFileSync(path.join(folder, 'notes.md'), '# notes\n');
  await expect(item('notes.md')).toBeVisible();
  fs.renameSync(path.join(folder, 'notes.md'), path.join(folder, 'todo.md'));
  await expect(item('todo.md')).toBeVisible();
  await expect(item('notes.md')).toHaveCount(0);
  // An open tab without edits follows the file on disk.
  fs.writeFileSync(path.join(folder, 'greeter', 'cli.py'), 'print("rewritten elsewhere")\n');
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('rewritten elsewhere');

  // Quick Open: fuzzy by name.
  await page.keyboard.press('Control+P');
  const search = page.getByRole('combobox', { name: 'Search files by name' });
  await expect(search).toBeFocused();
  await search.fill('tgreet');
  await expect(page.getByRole('listbox', { name: 'Matching files' }).getByRole('option').first()).toHaveText('tests/test_greeting.py');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: 'test_greeting.py' })).toHaveAttribute('aria-selected', 'true');
});

test('a modified tab asks before taking the version changed on disk', async ({ launchDapper, workDir }) => {
  const folder = copyProject('greeter', workDir);
  const { page } = await launchDapper({ folder });
  const explorer = page.getByRole('tree', { name: 'Explorer' });
  await explorer.getByRole('treeitem', { name: 'greeter', exact: true }).click();
  await explorer.getByRole('treeitem', { name: '__init__.py', exact: true }).click();
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('def greet');
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText('\n# my edit\n');
  fs.writeFileSync(path.join(folder, 'greeter', '__init__.py'), 'def greet(name):\n    return "changed on disk"\n');
  const banner = page.getByRole('alert').filter({ hasText: 'changed on disk while you were editing it' });
  await expect(banner).toBeVisible();
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('my edit');
  await banner.getByRole('button', { name: 'Reload from Disk' }).click();
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('changed on disk');
  await expect(page.getByRole('tab', { name: '__init__.py' })).not.toContainText('●');
});

test('Open Folder in the browser takes a typed path, and the folder is offered again under Recent folders', async ({ launchDapper, workDir }) => {
  const folder = copyProject('greeter', workDir);
  const { page, url } = await launchDapper();
  test.skip(url === null, 'the Electron app opens folders with its native dialog');
  await page.getByRole('button', { name: 'Open Folder', exact: true }).click();
  await page.getByRole('textbox', { name: 'Folder path' }).fill(folder);
  await page.keyboard.press('Enter');
  const explorer = page.getByRole('tree', { name: 'Explorer' });
  await expect(explorer.getByRole('treeitem', { name: 'greeter', exact: true })).toBeVisible();

  await page.reload();
  const recent = page.getByRole('navigation', { name: 'Recent folders' });
  await recent.getByRole('button', { name: 'greeter' }).click();
  await expect(explorer.getByRole('treeitem', { name: 'tests', exact: true })).toBeVisible();
});
