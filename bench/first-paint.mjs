#!/usr/bin/env node
// What the renderer costs to load: the size of the built UI (dist/renderer, and its largest
// JavaScript chunks) and, in Chromium through `dapper serve demo/demo.py`, the time from
// navigation to the first contentful paint and to the editor showing the script's text.
// Every load opens a new browser context, so nothing comes from the HTTP cache. Given other
// built checkouts (e.g. a `git archive` of an older commit, built), it loads each in turn, so
// all of them see the same machine load.
// Usage: node bench/first-paint.mjs [--runs 9] [other-checkout…]   (builds this checkout first
//        if dist/ is stale; needs /usr/bin/chromium or DAPPER_E2E_CHROMIUM)
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { chromium } = createRequire(join(root, 'package.json'))('playwright-core');
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 9;
const checkouts = [root, ...args.map((dir) => resolve(dir))];

const { buildIfNeeded } = await import(pathToFileURL(join(root, 'host', 'cli', 'buildFreshness.mjs')).href);
if (!buildIfNeeded(root)) process.exit(1);

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [{ path: join(dir, entry.name), bytes: statSync(join(dir, entry.name)).size }],
  );
}
const kB = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
for (const checkout of checkouts) {
  const rendererDir = join(checkout, 'dist', 'renderer');
  const files = filesUnder(rendererDir);
  const scripts = files.filter((file) => file.path.endsWith('.js')).sort((a, b) => b.bytes - a.bytes);
  const total = files.reduce((sum, file) => sum + file.bytes, 0);
  console.log(`${checkout}: dist/renderer has ${files.length} files, ${kB(total)} (${total} bytes)`);
  console.log('  largest scripts:', scripts.slice(0, 3).map((file) => `${file.path.slice(rendererDir.length + 1)} ${kB(file.bytes)} (${file.bytes} bytes)`).join(', '));
}

function startServer(checkout) {
  const server = spawn(process.execPath, [join(checkout, 'bin', 'dapper.js'), 'serve', '--port', '0', join(checkout, 'demo', 'demo.py')], {
    cwd: checkout,
    env: { ...process.env, DAPPER_SKIP_BUILD: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /http:\/\/\S+/.exec(out);
      if (match) resolve(match[0]);
    });
    server.on('exit', (code) => reject(new Error(`dapper serve in ${checkout} exited with ${code}`)));
  });
  return { server, url };
}
async function stopServer(server) {
  if (server.exitCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
const servers = checkouts.map(startServer);
const urls = await Promise.all(servers.map((entry) => entry.url));

const browser = await chromium.launch({
  executablePath: process.env.DAPPER_E2E_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function coldLoad(url) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  // The moment the editor first shows the script's text, seen from inside the page.
  await page.addInitScript(() => {
    const check = () => {
      const line = document.querySelector('.monaco-editor .view-lines .view-line');
      if (line && line.textContent && line.textContent.trim()) window.__editorShownAt = performance.now();
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
  await page.goto(url);
  await page.waitForFunction(() => window.__editorShownAt !== undefined, null, { timeout: 60_000 });
  const timing = await page.evaluate(() => ({
    firstContentfulPaint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    domContentLoaded: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
    editorShown: window.__editorShownAt,
  }));
  await context.close();
  return timing;
}

try {
  const runs = checkouts.map(() => []);
  for (let run = 0; run < RUNS; run += 1) {
    for (const [index, url] of urls.entries()) runs[index].push(await coldLoad(url));
  }
  const show = (results, name) => {
    const values = results.map((result) => result[name]);
    return `median ${median(values).toFixed(0)} ms (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)})`;
  };
  for (const [index, checkout] of checkouts.entries()) {
    console.log(`${checkout}: ${RUNS} cold loads with demo/demo.py`);
    console.log(`  first contentful paint: ${show(runs[index], 'firstContentfulPaint')}`);
    console.log(`  DOMContentLoaded end:   ${show(runs[index], 'domContentLoaded')}`);
    console.log(`  editor shows the text:  ${show(runs[index], 'editorShown')}`);
  }
} finally {
  await browser.close();
  await Promise.all(servers.map((entry) => stopServer(entry.server)));
}
