/**
 * Select Interpreter and the Settings view in the real app: the status-bar button lists the
 * folder's venv and its settings.json default with versions; an interpreter older than 3.9 is
 * named and refused; the chosen one runs the next F5; Settings switches apply to it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect, test } from './helpers/dapperApp';
import { consoleOutput } from './helpers/debugUi';

const PYENV = path.join(os.homedir(), '.pyenv', 'versions');
const pyenvPython = (version: string) => path.join(PYENV, version, 'bin', 'python');
const NEW = ['3.12.1', '3.13.0', '3.11.7', '3.10.13', '3.9.18'].find((v) => fs.existsSync(pyenvPython(v)));
const OLD = ['3.8.18', '3.7.16', '3.6.15'].find((v) => fs.existsSync(pyenvPython(v)));

test.skip(!NEW || !OLD, 'needs a pyenv Python 3.9+ and one older than 3.9 (~/.pyenv/versions)');

test('Select Interpreter lists the folder venv and settings.json default, refuses one too old, and F5 runs the chosen one', async ({ launchDapper, workDir }) => {
  const folder = path.join(workDir, 'project');
  fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  fs.mkdirSync(path.join(folder, '.venv', 'bin'), { recursive: true });
  fs.symlinkSync(pyenvPython(NEW!), path.join(folder, '.venv', 'bin', 'python'));
  fs.writeFileSync(
    path.join(folder, '.vscode', 'settings.json'),
    `{\n  // an old interpreter, as a project might still name\n  "python.defaultInterpreterPath": "${pyenvPython(OLD!)}",\n}\n`,
  );
  fs.writeFileSync(path.join(folder, 'main.py'), 'import sys\nprint("running on", sys.version.split()[0])\n');
  const { page } = await launchDapper({ folder });

  // Settings: turn off Stop on entry so F5 runs straight through.
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByRole('switch', { name: /Stop on entry/ }).uncheck();
  await expect(settings.getByRole('switch', { name: /Stop on entry/ })).not.toBeChecked();
  await page.keyboard.press('Escape');
  await expect(settings).toBeHidden();

  await page.getByRole('button', { name: 'Select Interpreter' }).click();
  const picker = page.getByRole('dialog', { name: 'Select Interpreter' });
  const options = picker.getByRole('option');
  const fromSettings = options.filter({ hasText: '— settings.json' });
  const venv = options.filter({ hasText: '— workspace venv' });
  await expect(fromSettings).toContainText(`Python ${OLD}`, { timeout: 60_000 });
  await expect(fromSettings).toContainText('Dapper needs Python 3.9 or newer');
  await expect(venv).toContainText(`Python ${NEW}`);

  // It is marked unusable (aria-disabled); choosing it from the keyboard repeats why.
  const list = picker.getByRole('listbox', { name: 'Interpreters' });
  await list.press('ArrowDown');
  await expect(list).toHaveAttribute('aria-activedescendant', (await fromSettings.getAttribute('id'))!);
  await list.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: `${pyenvPython(OLD!)} is Python ${OLD}` })).toBeVisible();
  await expect(picker).toBeVisible();

  await venv.click();
  await expect(picker).toBeHidden();
  await expect(page.getByRole('button', { name: 'Select Interpreter' })).toContainText(`Python ${NEW}`);

  await page.getByRole('tree', { name: 'Explorer' }).getByRole('treeitem', { name: 'main.py', exact: true }).click();
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('running on');
  await page.keyboard.press('F5');
  await expect(consoleOutput(page)).toContainText(`running on ${NEW}`, { timeout: 60_000 });
  await expect(consoleOutput(page)).toContainText('Session ended (exit code 0)');
});
