import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { maskUrl } from './config.js';

/**
 * Checks that something answers Redis's PING at `url`. Returns null when it does, otherwise the
 * one line to show a person. Uses a plain socket, so a missing Redis fails fast instead of the
 * queue client retrying forever.
 */
export async function checkRedis(url: string, timeoutMs = 2000): Promise<string | null> {
  const problem = `REDIS_URL=${maskUrl(url)} is not answering: start Redis with \`redis-server --daemonize yes\` or set REDIS_URL`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `REDIS_URL=${url} is not a Redis URL: use redis://host:6379`;
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = Number(parsed.port || 6379);
  const answered = await new Promise<boolean>((resolve) => {
    const onConnect = () => socket.write('PING\r\n');
    const socket: Socket = parsed.protocol === 'rediss:' ? tlsConnect({ host, port, servername: host }, onConnect) : netConnect({ host, port }, onConnect);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    // Any RESP reply (+PONG, or -NOAUTH when a password is needed) means Redis is there.
    socket.once('data', (data) => done(/^[+-]/.test(data.toString('utf8'))));
    socket.once('error', () => done(false));
  });
  return answered ? null : problem;
}
