import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
// `leadbridge start` listens here by default; `npm run dev:web` proxies the API to it.
const apiTarget = process.env['LEADBRIDGE_API_URL'] ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  resolve: {
    // The UI imports only the HTTP API's contracts (DESIGN.md §2: web → contracts).
    alias: { '@contracts': fileURLToPath(new URL('../src/contracts/index.ts', import.meta.url)) },
  },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    // dist/web sits outside the Vite root, so Vite would otherwise leave stale assets behind.
    emptyOutDir: true,
    chunkSizeWarningLimit: 1024,
  },
  server: { proxy: { '/api': apiTarget } },
  preview: { proxy: { '/api': apiTarget } },
});
