import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'src/generated/', 'coverage/', '.cache/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', module: 'writable', require: 'readonly', __dirname: 'readonly', URL: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['express', 'mongoose', 'mongodb', 'bull', 'ioredis', 'pino'].map((name) => ({
          name,
          message: 'The domain stays pure: no framework, database or queue imports.',
        })),
        patterns: [{ group: ['**/infra/**', '**/http/**', '**/config'], message: 'The domain stays pure.' }],
      }],
      'no-restricted-globals': ['error', { name: 'process', message: 'The domain never reads process state.' }],
    },
  },
);
