// Flat ESLint config for Ledgerlink packages. Usage in a package's eslint.config.js:
//   import { ledgerlink } from '@ledgerlink/eslint-config';
//   export default ledgerlink({ tsconfigRootDir: import.meta.dirname });
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * @param {{ tsconfigRootDir: string, node?: boolean, browser?: boolean, ignores?: string[] }} options
 */
export function ledgerlink(options) {
  const env = {
    ...(options.node === false ? {} : globals.node),
    ...(options.browser ? globals.browser : {}),
  };
  return tseslint.config(
    { ignores: ['dist/**', 'coverage/**', 'src/generated/**', '**/*.d.ts', ...(options.ignores ?? [])] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
      files: ['**/*.ts', '**/*.mts', '**/*.vue'],
      languageOptions: {
        globals: env,
        parserOptions: {
          projectService: true,
          tsconfigRootDir: options.tsconfigRootDir,
          extraFileExtensions: ['.vue'],
        },
      },
      rules: {
        '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
        '@typescript-eslint/no-floating-promises': 'error',
        '@typescript-eslint/switch-exhaustiveness-check': 'error',
        '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
        'no-restricted-syntax': [
          'error',
          { selector: "CallExpression[callee.property.name=/^(skip|only)$/][callee.object.name=/^(it|test|describe)$/]", message: 'Skipped or focused tests are not allowed.' },
        ],
      },
    },
    {
      files: ['**/*.js', '**/*.mjs'],
      languageOptions: { globals: env },
    },
  );
}
