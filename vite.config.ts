import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/**
 * One config for the web build (root: web/) and for every unit and integration test project.
 * `source` resolves @flowscope/shared to its TypeScript sources, so nothing needs building first.
 */
const devTarget = process.env.FLOWSCOPE_DEV_SERVER ?? 'http://127.0.0.1:7420';

export default defineConfig({
  root: 'web',
  plugins: [react()],
  resolve: { conditions: ['source'] },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 900 },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target: devTarget },
      '/socket.io': { target: devTarget, ws: true },
    },
  },
  test: {
    root: '.',
    projects: [
      {
        extends: true,
        test: { name: 'shared', root: 'shared', include: ['src/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'server',
          root: 'server',
          include: ['src/**/*.test.ts'],
          environment: 'node',
          env: { NODE_ENV: 'test' },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          root: 'server',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          env: { NODE_ENV: 'test' },
          globalSetup: ['test/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: { name: 'web', root: 'web', include: ['src/**/*.test.{ts,tsx}'], environment: 'jsdom' },
      },
    ],
  },
});
