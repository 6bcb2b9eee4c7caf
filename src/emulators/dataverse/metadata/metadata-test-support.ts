import { isDeepStrictEqual } from 'node:util';
import { DataverseError } from '../errors.js';

/**
 * Helpers shared by the metadata unit tests. Plain assertions (no test-runner import), so this file stays
 * harmless in the production build, which compiles everything but `*.test.ts`.
 */
export function expectDataverseError(
  call: () => unknown,
  status: number,
  code: string,
  message: string | RegExp,
) {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  if (!(thrown instanceof DataverseError))
    throw new Error(`expected a DataverseError, got ${String(thrown)}`);
  const actual = { status: thrown.status, code: thrown.code };
  if (!isDeepStrictEqual(actual, { status, code }))
    throw new Error(`expected ${status} ${code}, got ${actual.status} ${actual.code}: ${thrown.message}`);
  const matches = typeof message === 'string' ? thrown.message === message : message.test(thrown.message);
  if (!matches) throw new Error(`unexpected message: ${thrown.message}`);
}

export const ROOT = 'https://127.0.0.1:8443/api/data/v9.2/';

export function params(query: string): URLSearchParams {
  return new URLSearchParams(query);
}

export type Json = Record<string, unknown>;

export function asJson(value: unknown): Json {
  if (value === null || typeof value !== 'object')
    throw new Error(`expected a JSON object, got ${String(value)}`);
  return value as Json;
}

export function items(value: unknown): Json[] {
  const list = asJson(value)['value'];
  if (!Array.isArray(list)) throw new Error('expected a collection with a value array');
  return list as Json[];
}
