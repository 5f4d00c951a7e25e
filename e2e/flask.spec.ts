/**
 * A web app, the long-running program Apply Changes is for: a Flask app started from the
 * "Add Configuration…" Flask template (reloader off) stops at a breakpoint in a route when a
 * request arrives; after an edit and Ctrl+S while it runs, the next request gets the new
 * response, from the same process. Debian's python3-flask for /usr/bin/python3 (.ci/run).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { expect, test } from './helpers/dapperApp';
import { clickGlyphMargin, replaceLineText } from './helpers/editor';
import { consoleOutput, expectStoppedIn, expectVariable, panel, toolbarButton } from './helpers/debugUi';
import { copyProject } from './helpers/projects';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

test('a Flask app from the Flask template stops in a route on a request, and Ctrl+S while it runs changes the next response', async ({ launchDapper, workDir }) => {
  fs.mkdirSync(path.join(workDir, '.config'), { recursive: true });
  fs.writeFileSync(path.join(workDir, '.config', 'settings.json'), JSON.stringify({ python: '/usr/bin/python3' }));
  const folder = copyProject('flaskapp', workDir);
  const { page } = await launchDapper({ folder });

  const picker = page.getByRole('combobox', { name: 'Launch configuration' });
  await picker.selectOption('Add Configuration…');
  await page.getByRole('menuitem', { name: /^Flask/ }).click();
  await expect(picker).toHaveValue('Python: Flask');
  // Another server may hold Flask's default port 5000 on this machine: give the template a free one.
  const port = await freePort();
  const launchJson = path.join(folder, '.vscode', 'launch.json');
  const template = fs.readFileSync(launchJson, 'utf8');
  expect(template).toContain('"--no-reload"');
  fs.writeFileSync(launchJson, template.replace('"--no-reload"', `"--no-reload", "--port", "${port}"`));
  await expect(page.locator('.monaco-editor .view-lines')).toContainText(String(port));

  await page.getByRole('tree', { name: 'Explorer' }).getByRole('treeitem', { name: 'app.py', exact: true }).click();
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('def index():');
  await clickGlyphMargin(page, 9); // return greeting
  await page.keyboard.press('F5');
  await expect(consoleOutput(page)).toContainText(`Running on http://127.0.0.1:${port}`, { timeout: 60_000 });

  const url = `http://127.0.0.1:${port}/`;
  const first = fetch(url).then((response) => response.text());
  await expectStoppedIn(page, 'index');
  await expectVariable(page, 'greeting', "'Hello from Flask'");
  await toolbarButton(page, 'Continue').click();
  expect(await first).toBe('Hello from Flask');
  await expect(toolbarButton(page, 'Pause')).toBeEnabled();

  // Edit while it serves, save: the running process picks the change up.
  await replaceLineText(page, 8, 'greeting = "Hello, edited while running"');
  await page.keyboard.press('Control+S');
  await expect(page.getByRole('tab', { name: 'app.py' })).not.toContainText('⚡');
  const second = fetch(url).then((response) => response.text());
  await expectStoppedIn(page, 'index');
  await expectVariable(page, 'greeting', "'Hello, edited while running'");
  await toolbarButton(page, 'Continue').click();
  expect(await second).toBe('Hello, edited while running');
  await expect(panel(page, 'Call Stack')).not.toContainText('index');
  // The same server process answered both: it started once.
  expect((await consoleOutput(page).innerText()).split('Running on http://').length - 1).toBe(1);
});
