import { defineConfig } from 'vite';

// The gateway serves dist/ at /dashboard (packages/server/src/transports/http/routes/dashboard.ts),
// so every URL in the built index.html starts there.
export default defineConfig({
  base: '/dashboard/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No inline scripts or styles: the gateway's Content-Security-Policy forbids them.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
