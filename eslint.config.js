import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// ESLint checks the shape of code. Which module may import which lives in
// .dependency-cruiser.cjs, unused exports in knip.json: one place per kind of rule.

const noExportAll = {
  selector: 'ExportAllDeclaration',
  message: 'Name what a module exports; `export *` hides the public surface.',
};
const noDangerousHtml = {
  selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
  message:
    'Untrusted data (payloads, keys, headers, topic names) is rendered as text: pass it as React children, never as HTML.',
};

/** Sizes past which a file or a function asks to be split (blank lines and comments not counted). */
const sizeLimits = {
  'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
  // React components count as functions: a component past 80 lines asks for a hook or a child.
  'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }],
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
      'no-restricted-syntax': ['error', noExportAll, noDangerousHtml],
      ...sizeLimits,
    },
  },
  {
    // Tests and fixtures: a `describe` callback holds one case per behaviour, so its length is the
    // number of cases, not complexity; a suite file may be longer than the module it tests.
    files: ['**/*.{test,spec}.{ts,tsx}', '**/*.{fixtures,testkit}.ts', 'server/test/**/*.ts', 'e2e/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 600, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': 'off',
    },
  },
  {
    files: ['shared/src/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'Date', message: 'shared reads no clock: take time as an argument.' },
        { name: 'window', message: 'shared has no DOM.' },
        { name: 'process', message: 'shared has no Node.' },
      ],
      'no-restricted-syntax': [
        'error',
        noExportAll,
        noDangerousHtml,
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
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },
  {
    // Playwright fixtures without dependencies must destructure an empty object.
    files: ['e2e/fixtures/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Render untrusted data as text (React children), never as HTML.' },
        { property: 'outerHTML', message: 'Render untrusted data as text (React children), never as HTML.' },
      ],
    },
  },
);
