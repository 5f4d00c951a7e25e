// Preload bundle: a sandboxed preload may only require('electron'), so everything else is inlined.
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    sourcemap: true,
  },
});
