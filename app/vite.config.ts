import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The app reads its cluster, RPC and indexer addresses from /config.json at run time
// (written by scripts/serve.mjs from the local network's manifest), so one build serves any
// network. In `vite dev` the same proxy paths are forwarded to the default local addresses.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/rpc': { target: 'http://127.0.0.1:8899', rewrite: (p) => p.replace(/^\/rpc/, '') },
      '/api': { target: 'http://127.0.0.1:8999', rewrite: (p) => p.replace(/^\/api/, '') },
    },
  },
  build: { target: 'es2022', sourcemap: false },
});
