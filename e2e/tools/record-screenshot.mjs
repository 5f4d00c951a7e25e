// Records docs/screenshot.png: the app in a real Chromium app window (under Xvfb) with a folder
// open — the Explorer, the "Launch configuration" picker — stopped at a breakpoint in a pytest
// test started from its "Debug Test" code lens. Run:
//   xvfb-run -a -s "-screen 0 1400x900x24" node e2e/tools/record-screenshot.mjs
// Needs a display (DISPLAY), Chromium, ImageMagick's `import` and Debian's python3-pytest.
// Works on a copy of e2e/projects/greeter as committed.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const output = path.join(root, 'docs', 'screenshot.png');
const browserPath = process.env.DAPPER_E2E_CHROMIUM ?? '/usr/bin/chromium';
if (!process.env.DISPLAY) {
  console.error('record-screenshot: no DISPLAY; run it under xvfb-run (see the comment at the top).');
  process.exit(1);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dapper-shot-'));
const project = path.join(work, 'greeter');
// The committed sample project, not the working copy someone may be editing.
execFileSync('sh', ['-c', `git archive HEAD e2e/projects/greeter | tar -x -C "${work}" && mv "${work}/e2e/projects/greeter" "${project}"`], { cwd: root });
const configDir = path.join(work, 'config');
fs.mkdirSync(configDir);
fs.writeFileSync(path.join(configDir, 'settings.json'), JSON.stringify({ python: '/usr/bin/python3' }));

const server = spawn(process.execPath, [path.join(root, 'bin', 'dapper.js'), 'serve', project], {
  env: { ...process.env, DAPPER_CONFIG_DIR: configDir },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise((resolve, reject) => {
  let text = '';
  server.stdout.on('data', (chunk) => {
    text += chunk;
    const match = text.match(/http:\/\/\S+/);
    if (match) resolve(match[0]);
  });
  server.once('exit', () => reject(new Error(`dapper serve exited:\n${text}`)));
});

const port = 9400 + Math.floor(Math.random() * 500);
const window = spawn(browserPath, [
  `--app=${url}`, `--user-data-dir=${path.join(work, 'profile')}`, `--remote-debugging-port=${port}`,
  '--no-first-run', '--no-default-browser-check', '--disable-gpu', '--disable-sync',
  // Root (as in CI containers) needs --no-sandbox; --test-type hides the warning bar it causes.
  ...(process.getuid?.() === 0 ? ['--no-sandbox', '--test-type'] : []),
  '--disable-background-networking', '--window-position=0,0', '--window-size=1400,900',
], { stdio: 'ignore' });

async function connect() {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    try {
      return await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error('Chromium did not open its debugging port');
}

const lineY = async (page, line) => {
  const number = page.locator('.monaco-editor .margin .line-numbers').filter({ hasText: new RegExp(`^\\s*${line}\\s*$`) }).first();
  const box = await number.boundingBox();
  return box.y + box.height / 2;
};

try {
  const browser = await connect();
  const page = browser.contexts()[0].pages().find((candidate) => candidate.url().startsWith(url.split('?')[0]));
  const explorer = page.getByRole('tree', { name: 'Explorer' });
  const item = (name) => explorer.getByRole('treeitem', { name, exact: true });
  await item('greeter').click();
  await item('tests').click();
  await item('test_greeting.py').click();
  await page.getByRole('combobox', { name: 'Launch configuration' }).selectOption('Greet Ada');
  await page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Debug Tests in File' }).waitFor();

  const margin = await page.locator('.monaco-editor .margin').first().boundingBox();
  await page.mouse.click(margin.x + 9, await lineY(page, 6));
  await page.locator('.monaco-editor .codelens-decoration a', { hasText: /^Debug Test$/ }).first().click();
  await page.waitForFunction(() => {
    const button = document.querySelector('[aria-label="Continue"]');
    return button !== null && !button.hasAttribute('disabled') && document.querySelector('.frame-name')?.textContent === 'test_greets_by_name';
  }, undefined, { timeout: 60_000 });
  await page.getByRole('region', { name: 'Variables' }).getByRole('treeitem', { name: /^message = / }).waitFor();
  await page.mouse.move(900, 850); // no tooltip in the picture
  await page.waitForTimeout(1500);
  execFileSync('import', ['-window', 'root', output]);
  console.log(`record-screenshot: wrote ${path.relative(root, output)}`);
  await browser.close();
} finally {
  window.kill();
  server.kill('SIGTERM');
  if (server.exitCode === null && server.signalCode === null) await new Promise((resolve) => server.once('exit', resolve));
  fs.rmSync(work, { recursive: true, force: true });
}
