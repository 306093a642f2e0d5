import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/**
 * One config for the web build (root: web/) and for every unit and integration test project.
 * `source` resolves @flowscope/shared to its TypeScript sources, so nothing needs building first.
 */
/** Integration files of the brokers the machine runs (not Kafka, which the integration setup starts). */
const brokerFiles = [
  'test/{rabbitmq,redis,nats,mqtt}*.test.ts',
  'test/sourceContract.{rabbitmq,redis,nats,mqtt}.test.ts',
  'test/stopBrokers.test.ts',
  // AWS on the emulators its own setup starts (ElasticMQ, fauxqs): nothing of Flowscope may be left on them.
  'test/{aws,sourceContract.aws}*.test.ts',
  // Kafka, RabbitMQ and Redis at once: here, where no other file restarts RabbitMQ under it.
  'test/demoBrokers.test.ts',
];

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
          exclude: brokerFiles,
          environment: 'node',
          env: { NODE_ENV: 'test' },
          globalSetup: ['test/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        // Beside the Kafka files (projects run at the same time), one file at a time: files of a
        // broker check that nothing of Flowscope is left on it, which another file's tap would
        // spoil, and one restarts RabbitMQ. Its own Kafka for the demo on real brokers.
        extends: true,
        test: {
          name: 'brokers',
          root: 'server',
          include: brokerFiles,
          environment: 'node',
          env: { NODE_ENV: 'test' },
          globalSetup: ['test/globalSetup.ts', 'test/awsSetup.ts'],
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
