import { describe, expect, it } from 'vitest';
import { JsonLogger } from './json-logger.js';

function capture(): { lines: string[]; logger: JsonLogger } {
  const lines: string[] = [];
  return { lines, logger: new JsonLogger('debug', { app: 'test' }, { write: (line) => lines.push(line) }) };
}

describe('JsonLogger', () => {
  it('never prints tokens, secrets or bearer headers', () => {
    const { lines, logger } = capture();
    logger.info('refreshed', {
      accessToken: 'at-123456',
      credentials: { refreshToken: 'rt-abcdef' },
      headers: { authorization: 'Bearer at-123456' },
      note: 'sent Authorization: Bearer at-123456 to the provider',
      clientSecret: 'shh',
    });
    const text = lines.join('');
    expect(text).not.toContain('at-123456');
    expect(text).not.toContain('rt-abcdef');
    expect(text).not.toContain('shh');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ level: 'info', msg: 'refreshed', app: 'test' });
  });

  it('drops records below its level', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('warn', {}, { write: (line) => lines.push(line) });
    logger.info('quiet');
    logger.warn('loud');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['loud']);
  });
});
