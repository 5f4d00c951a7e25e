// The renderer's own Vite config, with its output moved to where Forge's Vite plugin expects it.
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vite';
import rendererConfig from '../renderer/vite.config';

export default mergeConfig(
  rendererConfig,
  defineConfig({
    build: { outDir: fileURLToPath(new URL('../.vite/renderer/main_window', import.meta.url)) },
  }),
);
