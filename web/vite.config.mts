import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

/**
 * The playground page. Built into dist/web, which the API serves at `/`. For live editing,
 * `npx vite --config web/vite.config.mts` proxies the API (http://127.0.0.1:3000, or ATELIER_API).
 */
const api = process.env.ATELIER_API ?? 'http://127.0.0.1:3000';

/** A strict CSP for the built page only (the dev server injects inline scripts). */
const contentSecurityPolicy: Plugin = {
  name: 'atelier-csp',
  apply: 'build',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: {
        'http-equiv': 'Content-Security-Policy',
        content: "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'",
      },
      injectTo: 'head-prepend',
    },
  ],
};

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [contentSecurityPolicy],
  build: {
    outDir: resolve(import.meta.dirname, '../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/v1': api,
      '/socket.io': { target: api, ws: true },
    },
  },
});
