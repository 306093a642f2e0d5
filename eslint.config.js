import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noDeepShared = {
  group: ['@flowscope/shared/*', '../shared/*', '../../shared/*', '**/shared/src/*'],
  message: 'Import from "@flowscope/shared" (its entry point), not from its files.',
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.cache/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ExportAllDeclaration',
          message: 'Name what a module exports; `export *` hides the public surface.',
        },
      ],
    },
  },
  {
    files: ['shared/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'crypto', 'http'],
              message: 'shared is pure: pass what you need in as arguments.',
            },
            {
              group: ['react', 'react-dom', 'socket.io*', 'kafkajs', 'fastify', 'pino'],
              message: 'shared is pure: no UI, socket, broker or server imports.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'Date', message: 'shared reads no clock: take time as an argument.' },
        { name: 'window', message: 'shared has no DOM.' },
        { name: 'process', message: 'shared has no Node.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ExportAllDeclaration',
          message: 'Name what a module exports; `export *` hides the public surface.',
        },
        {
          selector: "MemberExpression[object.name='Math'][property.name='random']",
          message: 'shared takes randomness as an argument.',
        },
      ],
    },
  },
  {
    files: ['server/**/*.ts', 'scripts/**/*.{ts,mjs}', 'e2e/**/*.ts', '*.config.{js,ts}'],
    languageOptions: { globals: globals.node },
    rules: { 'no-restricted-imports': ['error', { patterns: [noDeepShared] }] },
  },
  {
    // Playwright fixtures without dependencies must destructure an empty object.
    files: ['e2e/fixtures/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    files: ['server/src/**/*.ts'],
    // The Kafka source, and the benchmark that compares it with a bare kafkajs consumer.
    ignores: ['server/src/sources/kafka/**', 'server/src/bench/kafkaBench.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [noDeepShared],
          paths: [
            {
              name: 'kafkajs',
              message: 'kafkajs is imported only inside server/src/sources/kafka, and loaded only when configured.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [noDeepShared],
          paths: [
            {
              name: 'socket.io-client',
              message: 'Only web/src/lib/socket.ts talks to socket.io; read live state from stores/liveStore.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Render untrusted data as text (React children), never as HTML.' },
      ],
      'react/no-danger': 'off',
    },
  },
  {
    files: ['web/src/lib/socket.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noDeepShared] }] },
  },
);
