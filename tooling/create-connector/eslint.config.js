import { ledgerlink } from '@ledgerlink/eslint-config';

// template/ holds *.tpl files (checked by compiling a scaffold in the tests); .scratch/ is the tests' output.
export default ledgerlink({ tsconfigRootDir: import.meta.dirname, ignores: ['template/**', '.scratch/**'] });
