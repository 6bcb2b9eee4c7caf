import { LeadbridgeError } from '../shared/index.js';

type Violation = 'unique' | 'foreign_key' | 'check';

/** Which integrity rule a driver error broke, on either dialect; undefined for other errors. */
export function constraintViolation(error: unknown): Violation | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case '23505': // PostgreSQL unique_violation
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY':
      return 'unique';
    case '23503': // foreign_key_violation
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
      return 'foreign_key';
    case '23514': // check_violation
    case 'SQLITE_CONSTRAINT_CHECK':
      return 'check';
    default:
      return undefined;
  }
}

const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01',
  '57P03',
]);

/**
 * Runs a store operation, translating what the database says into the catalogue: a broken uniqueness
 * rule into `conflict`, a missing referenced row into `not_found`, a lost server into
 * `store_unavailable`. The details say which rule, in words a person can act on.
 */
export async function translateStoreErrors<T>(
  operation: () => Promise<T>,
  explain: { readonly unique?: string; readonly foreignKey?: string } = {},
): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toLeadbridgeError(error, explain);
  }
}

export function toLeadbridgeError(
  error: unknown,
  explain: { readonly unique?: string; readonly foreignKey?: string } = {},
): unknown {
  if (error instanceof LeadbridgeError) return error;
  const violation = constraintViolation(error);
  if (violation === 'unique') return new LeadbridgeError('conflict', explain.unique);
  if (violation === 'foreign_key') return new LeadbridgeError('not_found', explain.foreignKey);
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && CONNECTION_ERRORS.has(code))
    return new LeadbridgeError('store_unavailable', error instanceof Error ? error.message : undefined);
  return error;
}
