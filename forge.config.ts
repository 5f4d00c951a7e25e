/**
 * Electron Forge 7 + Vite: builds electron/main.ts, electron/preload.ts and the renderer
 * (renderer/vite.config.ts, output redirected to .vite/renderer/main_window).
 * `npm start` runs `electron-forge start` when Electron's binary is installed.
 */
import type { ForgeConfig } from '@electron-forge/shared-types';
import { VitePlugin } from '@electron-forge/plugin-vite';

const config: ForgeConfig = {
  packagerConfig: {
    name: 'Dapper Desktop',
    executableName: 'dapper-desktop',
    asar: true,
    // The agent runs inside the user's Python, so it ships as plain files next to the app.
    extraResource: ['python-agent', 'demo'],
  },
  rebuildConfig: {},
  makers: [],
  plugins: [
    new VitePlugin({
      build: [
        { entry: 'electron/main.ts', config: 'electron/vite.main.config.mts', target: 'main' },
        { entry: 'electron/preload.ts', config: 'electron/vite.preload.config.mts', target: 'preload' },
      ],
      renderer: [{ name: 'main_window', config: 'electron/vite.renderer.config.mts' }],
    }),
  ],
};

export default config;
