import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { contentSecurityPolicy } from './shared/security.ts';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [
    react(),
    // index.html carries the same policy as the hosts' response headers, written from one definition.
    { name: 'cabinet-csp', transformIndexHtml: (html) => html.replace('%CABINET_CSP%', contentSecurityPolicy('meta')) },
  ],
  // Monaco is one large chunk by nature; it loads only when a query tab opens.
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 4096 },
});
