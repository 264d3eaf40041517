import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Corpus repositories are other projects' layouts in our words, not our code.
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '**/node_modules/**',
      'coverage/**',
      'packages/*/test/corpus/repos/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['scripts/**', 'test/**/*.mjs', 'bench/**', 'packages/cli/src/**'],
    rules: { 'no-console': 'off' },
  },
);
