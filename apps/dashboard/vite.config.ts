import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

/**
 * `npm run dev -w apps/dashboard`: hot reload on :5173, /api, /admin and /openapi.json
 * proxied to the control plane (SWITCHYARD_API_URL, default http://127.0.0.1:7070).
 * `npm run build -w apps/dashboard`: static files in dist/, served by apps/api.
 */
const apiUrl = process.env.SWITCHYARD_API_URL ?? 'http://127.0.0.1:7070';

export default defineConfig({
  // svelteTesting only acts under vitest: browser builds of svelte, DOM cleanup between tests.
  plugins: [svelte(), svelteTesting()],
  server: {
    port: 5173,
    proxy: { '/api': apiUrl, '/admin': apiUrl, '/openapi.json': apiUrl, '/docs': apiUrl },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1500 },
});
