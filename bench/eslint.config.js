import { ledgerlink } from '@ledgerlink/eslint-config';

export default ledgerlink({ tsconfigRootDir: import.meta.dirname });
