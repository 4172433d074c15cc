export { type RunningSandbox, type SandboxOptions, startSandbox } from './sandbox.js';
export { SANDBOX_QBO_CLIENT_ID, SANDBOX_QBO_CLIENT_SECRET, sandboxConnectorEnv } from './connector-env.js';
