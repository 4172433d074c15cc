import { ledgerlink } from '@ledgerlink/eslint-config';
import vueParser from 'vue-eslint-parser';

const base = ledgerlink({ tsconfigRootDir: import.meta.dirname, browser: true, ignores: ['e2e/screenshots/**'] });
// The shared config already sets typescript-eslint's parser for every file; reuse that parser for
// the <script lang="ts"> blocks of .vue files, under vue-eslint-parser for the template.
const tsParser = base.find((config) => config.languageOptions?.parser)?.languageOptions?.parser;

export default [
  ...base,
  {
    files: ['**/*.vue'],
    languageOptions: {
      parser: vueParser,
      parserOptions: { parser: tsParser, extraFileExtensions: ['.vue'], sourceType: 'module' },
    },
  },
  {
    // The browser end-to-end tests have their own e2e/tsconfig.json (Node types); the build config
    // files are outside every tsconfig.json, so the project service types them with
    // tsconfig.node.json. (One project service serves every file.)
    files: ['**/*.ts', '**/*.vue'],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.config.ts'], defaultProject: 'tsconfig.node.json' },
      },
    },
  },
];
