#!/usr/bin/env node
// `ledgerlink-sandbox`: the sandbox as its own process, seeded with the demo companies.
// SANDBOX_PORT (default 4010) and SANDBOX_HOST (default 127.0.0.1) choose where it listens.
import { startSandbox } from './sandbox.js';

const rawPort = process.env.SANDBOX_PORT ?? '4010';
const port = Number(rawPort);
if (!/^\d+$/.test(rawPort) || port > 65535) {
  console.error(`SANDBOX_PORT=${rawPort} is not a port number: use a whole number from 0 to 65535.`);
  process.exit(1);
}
const host = process.env.SANDBOX_HOST ?? '127.0.0.1';

try {
  const sandbox = await startSandbox({ port, host, seedDemo: true });
  console.log(`Sandbox (QuickBooks Online, Xero, HubSpot) listening on ${sandbox.url}`);
  const stop = (signal: NodeJS.Signals): void => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    void sandbox.close().finally(() => {
      // Leave the way the signal asked, so a parent process sees "stopped by SIGTERM".
      process.kill(process.pid, signal);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') console.error(`Port ${port} on ${host} is already in use: stop what uses it or set SANDBOX_PORT to another port.`);
  else if (code === 'EADDRNOTAVAIL') console.error(`SANDBOX_HOST=${host} is not an address of this machine: use 127.0.0.1.`);
  else console.error(`The sandbox could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
