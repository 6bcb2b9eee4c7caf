/** A row as the emulator keeps it: attribute logical name → value. Lookups are {@link LookupValue}. */
export type StoredRecord = Record<string, unknown>;

/** A lookup column's value: the id and the table it points at (lookups can be polymorphic). */
export interface LookupValue {
  readonly id: string;
  readonly entity: string;
}

export function isLookupValue(value: unknown): value is LookupValue {
  return typeof value === 'object' && value !== null && 'id' in value && 'entity' in value;
}

/** A deleted row, kept so change tracking can report it as `$deletedEntity`. */
export interface Tombstone {
  readonly table: string;
  readonly id: string;
  readonly version: number;
}
