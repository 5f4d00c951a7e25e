// Records docs/screenshot.png: the app in a real Chromium app window (under Xvfb), stopped at
// a breakpoint after an Apply Changes. Run: xvfb-run -a -s "-screen 0 1400x900x24" node e2e/tools/record-screenshot.mjs
// Needs a display (DISPLAY), Chromium and ImageMagick's `import`. Works on a copy of the demo.
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
const demo = path.join(work, 'demo.py');
// The committed demo, not the working copy someone may be editing.
fs.writeFileSync(demo, execFileSync('git', ['show', 'HEAD:demo/demo.py'], { cwd: root }));

const server = spawn(process.execPath, [path.join(root, 'bin', 'dapper.js'), 'serve', demo], {
  env: { ...process.env, DAPPER_CONFIG_DIR: path.join(work, 'config') },
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
  const continueButton = page.getByRole('button', { name: 'Continue', exact: true });
  const topFrame = page.getByRole('region', { name: 'Call Stack' }).locator('.frame-name').first();
  await continueButton.waitFor();
  await page.waitForFunction(() => !document.querySelector('[aria-label="Continue"]')?.hasAttribute('disabled'));

  const margin = await page.locator('.monaco-editor .margin').first().boundingBox();
  await page.mouse.click(margin.x + 9, await lineY(page, 9));
  await continueButton.click();
  await page.waitForFunction(() => document.querySelector('.frame-name')?.textContent === 'price_with_tax');

  const lines = await page.locator('.monaco-editor .view-lines').first().boundingBox();
  await page.mouse.click(lines.x + lines.width - 20, await lineY(page, 9));
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.insertText('return round(price * (1 + TAX_RATE) * 0.9, 2)  # 10% off');
  await page.getByRole('button', { name: 'Apply Changes', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('[aria-label="Apply Changes"]')?.hasAttribute('disabled'));
  await continueButton.click();
  // The next stop is the call from Basket.total(), which now runs the new code.
  await page.waitForFunction(() => {
    const button = document.querySelector('[aria-label="Continue"]');
    const stack = document.querySelector('[aria-label="Call Stack"]')?.textContent ?? '';
    return button !== null && !button.hasAttribute('disabled') && stack.includes('Basket.total');
  }, undefined, { timeout: 30_000 });
  await page.waitForFunction(() => document.querySelector('.frame-name')?.textContent === 'price_with_tax');
  if ((await topFrame.textContent()) !== 'price_with_tax') throw new Error('not stopped in price_with_tax');
  await page.mouse.move(900, 800); // no tooltip in the picture
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
