import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// vitest 5's reporter calls Map.groupBy (Node ≥ 21) when a test fails; on Node 20 it crashed and
// the failure's message was lost. The polyfill runs in the Node process that loads this config.
if (!('groupBy' in Map)) {
  Object.defineProperty(Map, 'groupBy', {
    value<K, T>(items: Iterable<T>, key: (item: T, index: number) => K): Map<K, T[]> {
      const groups = new Map<K, T[]>();
      let i = 0;
      for (const item of items) {
        const k = key(item, i++);
        const group = groups.get(k);
        if (group) group.push(item);
        else groups.set(k, [item]);
      }
      return groups;
    },
  });
}

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
