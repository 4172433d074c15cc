import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';
import { loadSecretKey } from './secret-key.js';
import { checkRedis } from './service-checks.js';

function problems(env: Record<string, string>): readonly string[] {
  const result = parseConfig(env, { cwd: '/srv/app' });
  return result.ok ? [] : result.problems;
}

describe('parseConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const result = parseConfig({}, { cwd: '/srv/app' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      databaseUrl: null,
      dataDir: '/srv/app/.ledgerlink',
      redisUrl: 'redis://127.0.0.1:6379',
      queuePrefix: 'ledgerlink',
      publicUrl: 'http://127.0.0.1:4000',
      consoleUrl: 'http://127.0.0.1:4000',
      consoleDir: null,
      seed: false,
    });
  });

  it('names the variable, the bad value and the fix, one line per problem', () => {
    const lines = problems({ PORT: 'eighty', REDIS_URL: 'localhost:6379', LEDGERLINK_SEED: 'yes' });
    expect(lines).toEqual([
      'PORT=eighty is not a port: use a whole number from 0 to 65535 (default 4000)',
      'REDIS_URL=localhost:6379 is not a Redis URL: use redis://host:6379 (or rediss:// for TLS)',
      'LEDGERLINK_SEED=yes must be 1 (seed demo data) or 0',
    ]);
  });

  it('takes a provider time scale for benchmarks against the sandbox, 1 by default, and refuses nonsense by name', () => {
    expect(problems({ LEDGERLINK_PROVIDER_TIME_SCALE: '0' })).toEqual([
      'LEDGERLINK_PROVIDER_TIME_SCALE=0 must be a number above 0 and at most 1000 (1 = real time; set it to the sandbox timeScale only for benchmarks)',
    ]);
    const parsed = parseConfig({ LEDGERLINK_PROVIDER_TIME_SCALE: '4' });
    expect(parsed.ok && parsed.config.providerTimeScale).toBe(4);
    const plain = parseConfig({});
    expect(plain.ok && plain.config.providerTimeScale).toBe(1);
  });

  it('refuses to start with DATABASE_URL but no LEDGERLINK_SECRET_KEY', () => {
    const lines = problems({ DATABASE_URL: 'postgresql://postgres:pw@db:5432/ledgerlink' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^LEDGERLINK_SECRET_KEY is not set: it is required with DATABASE_URL .*openssl rand -base64 32/);
  });

  it('rejects a secret key that is not 32 bytes without echoing it', () => {
    const lines = problems({ LEDGERLINK_SECRET_KEY: 'too-short-secret' });
    expect(lines).toEqual(['LEDGERLINK_SECRET_KEY is not 32 bytes in base64 or hex: generate one with `openssl rand -base64 32`']);
  });

  it('hides the password of a bad DATABASE_URL', () => {
    const lines = problems({ DATABASE_URL: 'mysql://root:hunter2@db/app', LEDGERLINK_SECRET_KEY: 'a'.repeat(64) });
    expect(lines[0]).toContain('DATABASE_URL=mysql://root:***@db/app is not a PostgreSQL URL');
    expect(lines.join('\n')).not.toContain('hunter2');
  });

  it('accepts hex and base64 keys and collects connector variables', () => {
    const result = parseConfig({
      LEDGERLINK_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
      LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_CLIENT_ID: 'abc',
      LEDGERLINK_PUBLIC_URL: 'https://hub.example.com/',
      LEDGERLINK_CONNECTORS: 'ledgerlink-connector-a, ledgerlink-connector-b',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.secretKey?.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(result.config.connectorEnv).toEqual({ LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_CLIENT_ID: 'abc' });
    expect(result.config.publicUrl).toBe('https://hub.example.com');
    expect(result.config.consoleUrl).toBe('https://hub.example.com');
    expect(result.config.extraConnectors).toEqual(['ledgerlink-connector-a', 'ledgerlink-connector-b']);
  });
});

describe('loadSecretKey', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('creates <dataDir>/secret.key with mode 0600 once and reads the same key afterwards', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'll-key-'));
    dirs.push(dir);
    const first = await loadSecretKey({ secretKey: null, dataDir: join(dir, 'data') });
    const second = await loadSecretKey({ secretKey: null, dataDir: join(dir, 'data') });
    expect('key' in first && 'key' in second).toBe(true);
    if (!('key' in first) || !('key' in second)) return;
    expect(first.key).toHaveLength(32);
    expect(second.key.equals(first.key)).toBe(true);
    expect((await stat(join(dir, 'data', 'secret.key'))).mode & 0o777).toBe(0o600);
    expect((await readFile(join(dir, 'data', 'secret.key'), 'utf8')).trim()).toBe(first.key.toString('base64'));
  });

  it('refuses a damaged key file with a line that says what to do', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'll-key-'));
    dirs.push(dir);
    await writeFile(join(dir, 'secret.key'), 'not a key');
    const result = await loadSecretKey({ secretKey: null, dataDir: dir });
    expect('problem' in result && result.problem).toMatch(/does not hold a 32-byte key .*set LEDGERLINK_SECRET_KEY/);
  });
});

describe('checkRedis', () => {
  let server: Server | undefined;
  afterAll(() => server?.close());

  it('says how to start Redis when nothing answers', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await checkRedis(`redis://127.0.0.1:${port}`, 1000)).toBe(
      `REDIS_URL=redis://127.0.0.1:${port} is not answering: start Redis with \`redis-server --daemonize yes\` or set REDIS_URL`,
    );
  });

  it('accepts a server that answers PING like Redis', async () => {
    server = createServer((socket) => socket.on('data', () => socket.write('+PONG\r\n')));
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    expect(await checkRedis(`redis://127.0.0.1:${port}`)).toBeNull();
  });
});
