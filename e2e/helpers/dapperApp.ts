/**
 * Starts Dapper the way a user does and hands the test a page: `dapper serve` on a temp
 * config folder opened in Chromium, or the packaged Electron app when
 * DAPPER_E2E_ELECTRON_APP points at it (scripts/test-e2e.mjs sets it when Electron's binary
 * exists). Scripts under test are copied to a temp folder so edits never touch the repo.
 * On failure the page's screenshot, console log and the server's output are saved under
 * e2e/artifacts/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test as base, chromium, _electron, type Browser, type ElectronApplication, type Page } from '@playwright/test';

const ROOT = path.resolve(__dirname, '..', '..');
const CHROMIUM = process.env.DAPPER_E2E_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

export interface DapperApp {
  readonly page: Page;
  /** Folder holding this test's copies of scripts. */
  readonly workDir: string;
  /** The address printed by `dapper serve` (browser host only). */
  readonly url: string | null;
  /** The host's stdout and stderr so far (`dapper serve`, or the Electron main process), DAP trace included. */
  serverOutput(): string;
}

export interface LaunchOptions {
  /** A script under e2e/scripts/ (copied to workDir) or an absolute path, given on the command line. */
  readonly script?: string;
  /** A folder to open (absolute, or relative to workDir), given on the command line. */
  readonly folder?: string;
}

interface Fixtures {
  launchDapper(options?: LaunchOptions): Promise<DapperApp>;
  /** Copies a script from e2e/scripts/ into a fresh folder and returns its path. */
  scriptCopy(name: string): string;
}

function waitForAddress(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dapper serve printed no address in 60 s:\n${output()}`)), 60_000);
    child.stdout?.on('data', () => {
      const line = output().split('\n').find((text) => text.includes('http://'));
      const match = line?.match(/http:\/\/\S+/);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dapper serve exited (code ${code}) before printing its address:\n${output()}`));
    });
  });
}

export const test = base.extend<Fixtures & { workDir: string }>({
  workDir: async ({}, use) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dapper-e2e-'));
    await use(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  },

  scriptCopy: async ({ workDir }, use) => {
    await use((name) => {
      const target = path.join(workDir, name);
      fs.copyFileSync(path.join(__dirname, '..', 'scripts', name), target);
      return target;
    });
  },

  launchDapper: async ({ workDir }, use, testInfo) => {
    const configDir = path.join(workDir, '.config');
    let server: ChildProcess | null = null;
    let browser: Browser | null = null;
    let electronApp: ElectronApplication | null = null;
    let page: Page | null = null;
    let output = '';
    const consoleLines: string[] = [];

    await use(async (options = {}) => {
      const script = options.script
        ? path.isAbsolute(options.script) ? options.script : path.join(workDir, options.script)
        : null;
      const folder = options.folder ? path.resolve(workDir, options.folder) : null;
      // The DAP trace goes to the server log, which is saved when a test fails.
      const env = { ...process.env, DAPPER_CONFIG_DIR: configDir, DAPPER_TRACE_DAP: '1' };
      const electronExecutable = process.env.DAPPER_E2E_ELECTRON_APP;
      let url: string | null = null;
      if (electronExecutable) {
        electronApp = await _electron.launch({ executablePath: electronExecutable, args: [...(script ? [script] : []), ...(folder ? ['--folder', folder] : [])], env, cwd: workDir });
        const main = electronApp.process();
        main.stdout?.on('data', (chunk) => (output += chunk));
        main.stderr?.on('data', (chunk) => (output += chunk));
        page = await electronApp.firstWindow();
      } else {
        server = spawn(process.execPath, [path.join(ROOT, 'bin', 'dapper.js'), 'serve', ...(script ? [script] : []), ...(folder ? [folder] : [])], {
          cwd: workDir,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        server.stdout?.on('data', (chunk) => (output += chunk));
        server.stderr?.on('data', (chunk) => (output += chunk));
        url = await waitForAddress(server, () => output);
        browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
        const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
        page = await context.newPage();
      }
      const shown = page;
      shown.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
      shown.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.stack ?? error.message}`));
      if (url) await shown.goto(url);
      return { page: shown, workDir, url, serverOutput: () => output };
    });

    if (testInfo.status !== testInfo.expectedStatus) {
      const folder = path.join(__dirname, '..', 'artifacts', testInfo.titlePath.slice(1).join(' - ').replace(/[^\w.-]+/g, '_'));
      fs.mkdirSync(folder, { recursive: true });
      const shown = page as Page | null;
      if (shown) await shown.screenshot({ path: path.join(folder, 'screenshot.png'), fullPage: true }).catch(() => undefined);
      fs.writeFileSync(path.join(folder, 'console.log'), consoleLines.join('\n'));
      fs.writeFileSync(path.join(folder, 'server.log'), output);
      testInfo.attachments.push({ name: 'artifacts', contentType: 'text/plain', path: folder });
    }
    await (electronApp as ElectronApplication | null)?.close().catch(() => undefined);
    await (browser as Browser | null)?.close().catch(() => undefined);
    const running = server as ChildProcess | null;
    if (running && running.exitCode === null) {
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (running.exitCode === null) running.kill('SIGKILL');
    }
  },
});

export { expect } from '@playwright/test';
