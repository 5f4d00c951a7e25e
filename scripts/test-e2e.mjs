// `npm run test:e2e [-- playwright args]`: builds if needed, then runs the Playwright user
// flows in e2e/ against `dapper serve` in Chromium — or against the packaged Electron app
// when Electron's binary is installed (it cannot be downloaded on every machine).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { buildIfNeeded } = await import(pathToFileURL(join(root, 'host', 'cli', 'buildFreshness.mjs')).href);

if (!buildIfNeeded(root)) process.exit(1);

const env = { ...process.env, DAPPER_SKIP_BUILD: '1' };

function electronInstalled() {
  try {
    const dir = join(root, 'node_modules', 'electron');
    return existsSync(join(dir, 'path.txt')) && existsSync(join(dir, 'dist'));
  } catch {
    return false;
  }
}

if (process.env.DAPPER_E2E_ELECTRON !== '0' && electronInstalled()) {
  console.log('test-e2e: Electron is installed; packaging the app to run the flows in Electron (DAPPER_E2E_ELECTRON=0 to use Chromium).');
  const forge = join(root, 'node_modules', '@electron-forge', 'cli', 'dist', 'electron-forge.js');
  const packaged = spawnSync(process.execPath, [forge, 'package'], { cwd: root, stdio: 'inherit' });
  if (packaged.status !== 0) process.exit(packaged.status ?? 1);
  const outDir = join(root, 'out');
  const appDir = readdirSync(outDir).map((name) => join(outDir, name)).find((dir) => existsSync(join(dir, 'dapper-desktop')) || existsSync(join(dir, 'dapper-desktop.exe')));
  if (!appDir) {
    console.error(`test-e2e: packaging finished but no dapper-desktop executable was found under ${outDir}.`);
    process.exit(1);
  }
  env.DAPPER_E2E_ELECTRON_APP = join(appDir, process.platform === 'win32' ? 'dapper-desktop.exe' : 'dapper-desktop');
} else {
  const chromium = process.env.DAPPER_E2E_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    console.error(`test-e2e: Chromium not found at ${chromium}. Install it (apt-get install chromium) or set DAPPER_E2E_CHROMIUM to a Chromium/Chrome executable.`);
    process.exit(1);
  }
}

// Artifacts describe the latest run only.
rmSync(join(root, 'e2e', 'artifacts'), { recursive: true, force: true });

const playwright = join(root, 'node_modules', '@playwright', 'test', 'cli.js');
const run = spawnSync(process.execPath, [playwright, 'test', '--config', join(root, 'e2e', 'playwright.config.ts'), ...process.argv.slice(2)], {
  cwd: root,
  env,
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
