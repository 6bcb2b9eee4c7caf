import type { CrmTable } from './crm-metadata.js';

/**
 * How a source's fields become a CRM record: one rule per CRM column. A rule takes a source field or a
 * constant, runs a few transforms in order, and for choice columns resolves a label or a value.
 * capture/ applies and validates mappings; this is only their shape (stored as JSON on the source).
 */
export type MappingTransform =
  | { readonly kind: 'trim' }
  | { readonly kind: 'case'; readonly to: 'upper' | 'lower' | 'title' }
  /** The first word is the first name, the rest the last name: "Jan van der Berg" → "Jan" / "van der Berg". */
  | { readonly kind: 'split_full_name'; readonly part: 'first' | 'last' }
  | { readonly kind: 'phone_e164'; readonly defaultCountry?: string }
  | { readonly kind: 'country'; readonly to: 'name' | 'iso2' | 'iso3' };

export type MappingValue =
  | { readonly kind: 'field'; readonly field: string }
  | { readonly kind: 'constant'; readonly value: string | number | boolean };

export interface ColumnMapping {
  /** CRM column logical name, e.g. `emailaddress1`. */
  readonly column: string;
  readonly value: MappingValue;
  readonly transforms?: readonly MappingTransform[];
  /** For choice columns: is the incoming value an option's label (default) or its numeric value? */
  readonly choiceBy?: 'label' | 'value';
}

export interface FieldMapping {
  readonly table: CrmTable;
  readonly columns: readonly ColumnMapping[];
}

/** A source's mappings, one per table it may write to. */
export type SourceMappings = Partial<Record<CrmTable, FieldMapping>>;
