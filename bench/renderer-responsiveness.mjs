#!/usr/bin/env node
// The debugger UI stays responsive under load: a program printing ~40 MB, a 50,000-line
// file, a 25,000-item list. Drives the real UI in Chromium through `dapper serve` and
// reports the longest main-thread task (PerformanceObserver "longtask") for each.
// Usage: node bench/renderer-responsiveness.mjs   (needs /usr/bin/chromium or DAPPER_E2E_CHROMIUM)
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { chromium } = createRequire(join(root, 'package.json'))('playwright-core');
const folder = mkdtempSync(join(tmpdir(), 'dapper-bench-ui-'));
const FLOOD_LINES = 200_000;
const flood = join(folder, 'flood.py');
writeFileSync(flood, `import sys\nfor i in range(${FLOOD_LINES}):\n    sys.stdout.write(f"flood line {i} " + "x" * 200 + "\\n")\nbig = list(range(25000))\nprint("done")\n`);
const huge = join(folder, 'huge.py');
writeFileSync(huge, Array.from({ length: 25_000 }, (_, i) => `def f${i}(x):\n    return x + ${i}\n`).join(''));

const serve = spawn(process.execPath, [join(root, 'bin/dapper.js'), 'serve', '--port', '0'], { cwd: root });
const url = await new Promise((resolve, reject) => {
  let out = '';
  serve.stdout.on('data', (chunk) => {
    out += chunk;
    const match = /http:\/\/\S+/.exec(out);
    if (match) resolve(match[0]);
  });
  serve.on('exit', (code) => reject(new Error(`dapper serve exited with ${code}`)));
});
const browser = await chromium.launch({
  executablePath: process.env.DAPPER_E2E_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((entry) => entry.duration))).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(url);
  const longest = async (action) => {
    await page.evaluate(() => (window.__longTasks = []));
    const started = Date.now();
    await action();
    const tasks = await page.evaluate(() => window.__longTasks);
    return { wallMs: Date.now() - started, longestTaskMs: Math.round(Math.max(0, ...tasks)), longTasks: tasks.length };
  };
  const status = page.getByRole('status', { name: 'Status' });
  const openPath = async (path) => {
    await page.getByRole('textbox', { name: 'File path' }).fill(path);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
  };

  await openPath(flood);
  await page.getByRole('button', { name: 'Start Debugging' }).click();
  await page.getByText('paused on entry').waitFor();
  const floodResult = await longest(async () => {
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('log').getByText('done', { exact: true }).waitFor({ timeout: 120_000 });
  });
  console.log(`output flood (${FLOOD_LINES.toLocaleString()} lines, ~${Math.round((FLOOD_LINES * 215) / 1e6)} MB):`, floodResult);
  await status.getByText(/^Ended/).waitFor();

  const openResult = await longest(async () => {
    await page.getByRole('button', { name: 'Open File' }).click();
    await openPath(huge);
    await page.getByRole('tab', { name: /huge\.py/ }).waitFor();
  });
  console.log('open a 50,000-line file:', openResult);
  await page.locator('.monaco-editor .view-lines').click();
  const typing = await longest(() => page.keyboard.type('# typing into a 50,000-line file', { delay: 10 }));
  console.log('type 32 characters into it:', typing);
} finally {
  await browser.close();
  serve.kill();
}
