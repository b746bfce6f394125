// Lint guards the architecture as well as the code: import zones below say which folder
// may use which, so a wrong dependency fails CI instead of waiting for review.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const FEATURE_LIBS = [
  '@gopy/intake',
  '@gopy/cases',
  '@gopy/directory',
  '@gopy/mailer',
  '@gopy/audit',
  '@gopy/sla',
  '@gopy/routing',
  '@gopy/auth',
  '@gopy/desk',
  '@gopy/mailbox',
  '@gopy/digest',
];
const noDeepImports = {
  group: ['@gopy/*/*', '**/libs/*/src/**', '../../*/src/**', '../../../libs/**'],
  message: 'Use another lib only through its public index (@gopy/<lib>).',
};
const noApps = { group: ['**/apps/**', '../../apps/**'], message: 'Libraries never import applications.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-output/**', 'var/**', '**/*.cjs', 'jest.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['libs/**/*.ts', 'config/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noApps, noDeepImports] }] },
  },
  {
    // Plumbing never depends on product features.
    files: ['libs/{database,queue,errors,text,i18n,crypto,logging}/**/*.ts', 'config/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: FEATURE_LIBS.map((name) => ({ name, message: 'Plumbing libs must not import feature libs.' })),
          patterns: [noApps, noDeepImports],
        },
      ],
    },
  },
  {
    // Rules are plain functions: no framework, no database, no queue.
    files: ['libs/*/src/rules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*', 'typeorm', 'bullmq', 'ioredis', 'pg'], message: 'Rules are pure functions.' },
            noApps,
            noDeepImports,
          ],
        },
      ],
    },
  },
  {
    files: ['apps/api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/worker/**'], message: 'The API does not import the worker.' }, noDeepImports] },
      ],
    },
  },
  {
    files: ['apps/worker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/api/**'], message: 'The worker does not import the API.' }, noDeepImports] },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false },
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        performance: 'readonly',
        global: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        document: 'readonly',
        window: 'readonly',
      },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, 'no-console': 'off' },
  },
);
