import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'data/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { languageOptions: { globals: globals.node } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-empty-function': 'off',
      'no-control-regex': 'off',
    },
  },
  {
    // Core knows no HTTP: adapters translate, core decides.
    files: ['packages/core/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['express', 'multer', 'node:http', 'http', '@botgate/*'],
              message: 'packages/core knows no HTTP framework and no adapter',
            },
          ],
        },
      ],
    },
  },
  {
    // Every package but core (the adapters, the console, the kits) and the server use only core's
    // public entry, and reach the database through core: knex is core's (issue 17's storage seam).
    // A new adapter's folder is covered without being named here.
    files: ['packages/*/**/*.ts', 'apps/**/*.ts'],
    ignores: ['packages/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@botgate/core/*', '**/packages/core/src/**'],
              message: 'import @botgate/core, its public entry',
            },
            { group: ['knex', 'knex/*'], message: "the database is core's: use what @botgate/core exports" },
          ],
        },
      ],
    },
  },
);
