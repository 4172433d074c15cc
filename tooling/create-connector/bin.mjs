#!/usr/bin/env node
// pnpm create-connector <id> [--dir <path>] [--name "Display Name"] [--package <npm name>] [--force]
// Scaffolds a Ledgerlink connector package (default: connectors/<id> of this repository).
import { relative } from 'node:path';
import { scaffold } from './scaffold.mjs';

const USAGE = 'Usage: pnpm create-connector <id> [--dir <path>] [--name "Display Name"] [--package <npm name>] [--force]';

function parse(argv) {
  const options = {};
  const rest = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new Error(`${arg} needs a value. ${USAGE}`);
      i += 1;
      return next;
    };
    if (arg === '--dir') options.dir = value();
    else if (arg === '--name') options.displayName = value();
    else if (arg === '--package') options.packageName = value();
    else if (arg === '--force') options.force = true;
    else if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg.startsWith('--')) throw new Error(`Unknown option ${arg}. ${USAGE}`);
    else rest.push(arg);
  }
  if (rest.length > 1) throw new Error(`Give one connector id, got ${rest.join(' ')}. ${USAGE}`);
  return { ...options, id: rest[0] };
}

try {
  const options = parse(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
  } else {
    delete options.help;
    const result = scaffold(options);
    const where = relative(process.cwd(), result.dir) || '.';
    console.log(`Created ${result.packageName} in ${where}:`);
    for (const file of result.files) console.log(`  ${file}`);
    console.log(`\nNext: pnpm install, then (in ${where}) npm test — the conformance kit runs against test/fake-server.ts.`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
