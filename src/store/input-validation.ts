import { z } from 'zod';
import { LeadbridgeError } from '../shared/index.js';

/**
 * What the type system cannot promise is checked where values enter the store, with zod. A bad value
 * is the caller's mistake, answered as `invalid_body` naming every problem.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
  throw new LeadbridgeError('invalid_body', `Invalid ${what}: ${problems}.`);
}

export const idSchema = z.string().min(1).max(200);

/** An instant with an offset, normalised to `toISOString()` form so text comparison stays chronological. */
export const instantSchema = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value).toISOString());

/** SHA-256 in lowercase hex: what session ids and token hashes look like. */
export const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 hash in lowercase hex');

/** A Dataverse GUID, lower-cased (Dataverse answers GUIDs in lower case). */
export const guidSchema = z
  .string()
  .trim()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'expected a GUID')
  .transform((value) => value.toLowerCase());

/** Kept in text columns whose length the log pages show; longer values end in an ellipsis. */
export const truncatedText = (max: number) =>
  z.string().transform((value) => (value.length > max ? `${value.slice(0, max - 1)}…` : value));
