// The UI is built into dist/ (index.html and hashed files in
// dist/assets/), which `dutydesk serve --web-root web/dist` serves.
// `npm run dev` serves the sources with live reload and hands /api to a
// dutydesk on 127.0.0.1:8080 (DUTYDESK_API to change it).
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    target: 'es2022',
    // Small images become data: URLs (the CSP allows img-src data:);
    // nothing else is inlined, so no inline script or style is needed.
    assetsInlineLimit: 2048,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  server: {
    proxy: {
      '/api': process.env.DUTYDESK_API ?? 'http://127.0.0.1:8080',
    },
  },
});
