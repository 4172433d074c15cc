{
  "name": "__PACKAGE_NAME__",
  "version": "0.1.0",
  "description": "__DISPLAY_NAME__ connector for Ledgerlink.",
  "license": "Apache-2.0",
  "keywords": ["ledgerlink-connector"],
  "type": "module",
  "sideEffects": false,
  "exports": {
    ".": { "types": "./dist/index.d.ts", "default": "./dist/index.js" }
  },
  "files": ["dist", "README.md"],
  "ledgerlink": { "connector": "./dist/index.js" },
  "scripts": {
    "build": "tsc -p tsconfig.build.json",
    "typecheck": "tsc -p tsconfig.json --noEmit",
    "test": "vitest run"
  },
  "dependencies": {
    "zod": "__ZOD__"
  },
  "peerDependencies": {
    "@ledgerlink/connector-sdk": "__SDK_RANGE__"
  },
  "devDependencies": {
    "@ledgerlink/connector-sdk": "__SDK_DEV__",
    "@types/node": "__TYPES_NODE__",
    "typescript": "__TYPESCRIPT__",
    "vitest": "__VITEST__"
  }
}
