import { z } from 'zod';
import { LeadbridgeError } from '../shared/index.js';
import { idSchema } from './input-validation.js';

/** Where a newest-first page ended: the (instant, id) of its last row. */
export interface KeysetPosition {
  readonly at: string;
  readonly id: string;
}

const positionSchema = z.tuple([z.iso.datetime(), idSchema]);

/** Opaque to callers, so the ordering can change without breaking their links. */
export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): KeysetPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = positionSchema.safeParse(decoded);
  if (!parsed.success)
    throw new LeadbridgeError('invalid_body', 'Invalid cursor: use the `next` value of the previous page.');
  const [at, id] = parsed.data;
  return { at, id };
}
