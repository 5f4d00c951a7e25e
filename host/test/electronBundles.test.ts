/**
 * Builds the Electron main and preload bundles the way Electron Forge's Vite plugin does
 * (its own config generators), without the Electron binary, and checks what the packaged
 * app depends on: the packaged app ships only .vite/, so main must be self-contained, and a
 * sandboxed preload may require nothing but `electron`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';
import { build, type InlineConfig } from 'vite';
import { tempDir } from './helpers';

const ROOT = path.resolve(__dirname, '..', '..');
const FORGE_CONFIG_DIR = path.join(ROOT, 'node_modules', '@electron-forge', 'plugin-vite', 'dist', 'config');

type ConfigGenerator = (env: unknown, userConfig?: InlineConfig) => InlineConfig;

function forgeConfig(target: 'main' | 'preload', entry: string, outDir: string): InlineConfig {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { getConfig } = require(path.join(FORGE_CONFIG_DIR, `vite.${target}.config.js`)) as { getConfig: ConfigGenerator };
  const env = {
    root: ROOT,
    mode: 'production',
    command: 'build',
    forgeConfig: { build: [], renderer: [{ name: 'main_window', config: 'electron/vite.renderer.config.mts' }] },
    forgeConfigSelf: { entry, config: `electron/vite.${target}.config.mts`, target },
  };
  const config = getConfig(env, { build: { outDir, minify: false }, logLevel: 'silent' });
  return { ...config, configFile: false, plugins: [] };
}

function requiredModules(file: string): string[] {
  const code = fs.readFileSync(file, 'utf8');
  return [...new Set([...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((match) => match[1]))].sort();
}

const isBuiltin = (name: string): boolean => builtinModules.includes(name.replace(/^node:/, ''));

describe('Electron bundles (built without the Electron binary)', () => {
  it('bundles main with the in-process adapter and host, needing only Node built-ins and electron', async () => {
    const outDir = tempDir('dapper-electron-main-');
    await build(forgeConfig('main', 'electron/main.ts', outDir));
    const main = path.join(outDir, 'main.js');
    const modules = requiredModules(main);
    expect(modules).toContain('electron');
    expect(modules.filter((name) => name !== 'electron' && !isBuiltin(name))).toEqual([]);
    const code = fs.readFileSync(main, 'utf8');
    expect(code.length).toBeGreaterThan(50_000);
    expect(code).toContain('dapper_launcher.py'); // the adapter is inside, not a separate process
    expect(code).toContain('"main_window"'); // where the renderer is loaded from in production
  }, 120_000);

  it('bundles a preload that a sandboxed renderer can run: it requires electron and nothing else', async () => {
    const outDir = tempDir('dapper-electron-preload-');
    await build(forgeConfig('preload', 'electron/preload.ts', outDir));
    const preload = path.join(outDir, 'preload.js');
    expect(requiredModules(preload)).toEqual(['electron']);
    const code = fs.readFileSync(preload, 'utf8');
    expect(code).toContain('exposeInMainWorld');
    expect(code).toContain('getPathForFile');
  }, 120_000);
});
