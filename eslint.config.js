// ESLint for Herald: typescript-eslint's recommended rules with type information, plus the rules
// that catch what a reviewer would (promises nobody awaits, promises passed where a callback is
// expected, type-only imports written as value imports). Formatting is Prettier's job.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'var/', 'test-output/', 'test/fixtures/', 'views/**/*.eta', 'views/static/vendor/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      // Herald strips and refuses control characters on purpose (headers, CSV, bounce texts).
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ignores: ['views/static/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The console's own scripts run in the browser as classic scripts.
    files: ['views/static/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser } },
  },
);
