import { inspect } from 'node:util';

const MASK = '***';

/**
 * Gives a value holding secrets a `toJSON`, `toString` and `util.inspect` that mask those fields, so a
 * logger (pino serialises with toJSON) or a template string never prints them. The fields stay plain
 * readable properties for the one caller that needs them; the masking methods are not enumerable.
 */
export function maskSecretsInLogs<T extends object>(
  value: T,
  secretFields: readonly (keyof T & string)[],
): T {
  const masked = (): Record<string, unknown> => {
    const copy = { ...value } as Record<string, unknown>;
    for (const field of secretFields) if (copy[field] !== undefined) copy[field] = MASK;
    return copy;
  };
  Object.defineProperties(value, {
    toJSON: { value: masked, enumerable: false },
    toString: { value: () => JSON.stringify(masked()), enumerable: false },
    [inspect.custom]: { value: () => masked(), enumerable: false },
  });
  return value;
}
