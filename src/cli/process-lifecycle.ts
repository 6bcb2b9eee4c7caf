import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { LeadbridgeError } from '../shared/errors.js';

/** What `start` and `serve` share: finding the UI, listening with a clear error, stopping on a signal. */

/** The built UI beside the compiled code (dist/web), or dist/web of the working copy when run from source. */
export function webRoot(): string {
  const beside = new URL('../web/', import.meta.url).pathname;
  return existsSync(beside) ? beside : resolve('dist/web');
}

export async function listenOrExplain<T>(listen: () => Promise<T>, where: string): Promise<T> {
  try {
    return await listen();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new LeadbridgeError(
        'port_in_use',
        `${where} is taken; choose another with --port (0 picks a free one).`,
      );
    throw error;
  }
}

/** Resolves with exit code 0 once SIGINT or SIGTERM arrived and `close` finished (the batch in hand included). */
export function runUntilStopped(close: () => Promise<void>): Promise<number> {
  return new Promise<number>((done) => {
    const stop = () => void close().then(() => done(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** The address Fastify reports, as a person would type it. */
export function displayUrl(address: string): string {
  return address.replace('[::1]', 'localhost').replace('0.0.0.0', '127.0.0.1');
}
