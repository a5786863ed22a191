import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web app, built into web/dist and served by `scamgraph serve` (public at /, console at /console).
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
