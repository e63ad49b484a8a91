import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web app is served by botgate under /console; its build lands in dist/web beside the server code.
export default defineConfig({
  root: 'web',
  base: '/console/',
  plugins: [react()],
  build: { outDir: '../dist/web', emptyOutDir: true, chunkSizeWarningLimit: 1024 },
  logLevel: 'warn',
});
