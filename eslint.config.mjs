// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '.prof/',
      'dist/',
      'docs/',
      'coverage/',
      'bench/.build/',
      'bench/profiles/',
      'examples/angular/',
      'examples/nestjs/',
      '**/node_modules/',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The library's own code: no `any` anywhere, exported types included.
    files: ['src/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    // Tests and tools may reach for `any` and require() where a fixture or a
    // fresh module registry needs it.
    files: ['spec/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'src/services/codegen/**/*.ts', 'examples/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' } },
  },
);
