import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/**
 * `npm run dev -w apps/dashboard`: hot reload on :5173, /api, /admin and /openapi.json
 * proxied to the control plane (SWITCHYARD_API_URL, default http://127.0.0.1:7070).
 * `npm run build -w apps/dashboard`: static files in dist/, served by apps/api.
 */
const apiUrl = process.env.SWITCHYARD_API_URL ?? 'http://127.0.0.1:7070';

export default defineConfig({
  plugins: [svelte()],
  resolve: process.env.VITEST ? { conditions: ['browser'] } : {},
  server: {
    port: 5173,
    proxy: { '/api': apiUrl, '/admin': apiUrl, '/openapi.json': apiUrl, '/docs': apiUrl },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1500 },
});
