import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Absolute path of a folder relative to this file (no node: imports in web/, lint forbids them). */
function resolveFromHere(relative: string): string {
  return decodeURIComponent(new URL(relative, import.meta.url).pathname);
}

export default defineConfig({
  root: resolveFromHere('.'),
  publicDir: resolveFromHere('./public'),
  plugins: [react()],
  build: {
    outDir: resolveFromHere('../dist/web'),
    emptyOutDir: true,
    // Not Vite's default 'assets': /assets is a path of the Tenable-compatible API.
    assetsDir: 'static',
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: separate chunks stay cached across upgrades.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/ },
            { name: 'mantine', test: /node_modules[\\/](@mantine|@floating-ui)[\\/]/ },
            { name: 'query', test: /node_modules[\\/](@tanstack|zod)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    // changeOrigin stays false: the server refuses writes whose Origin is not the host they were
    // sent to, and the browser's Origin is this dev server's.
    // ws: the Support chat's WebSocket (/api/support/chats/:id/socket) goes through the proxy too.
    proxy: { '/api': { target: 'http://localhost:8080', changeOrigin: false, ws: true } },
  },
});
