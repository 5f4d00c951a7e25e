// Main process bundle (merged by Forge's Vite plugin with its own main-process defaults).
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    sourcemap: true,
  },
});
