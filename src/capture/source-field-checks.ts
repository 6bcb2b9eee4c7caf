import type { LeadPayload, SourceField } from '../domain/index.js';
import { parseDecimal, parseYesNo } from './column-values.js';
import { characterCount, formatCount, isBlank, quoteValue } from './value-text.js';

/**
 * Checking one lead against the fields its source declares, the same way for the capture API, hosted
 * forms and CSV rows: required fields present, e-mails plausible, choices among the options, numbers
 * and yes/no values readable, lengths within the field's maximum. Fields the source does not declare
 * pass unchecked (they are kept verbatim and may be mapped later).
 */
export interface FieldIssue {
  readonly field: string;
  /** A sentence without the field's name, e.g. `"not-an-email" is not an email address`. */
  readonly problem: string;
}

// Deliberately loose: one @, no spaces, a dot in the domain. Apostrophes (o'brien@…) are valid.
const PLAUSIBLE_EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/u;
const MAX_EMAIL_LENGTH = 254;

export function checkLeadFields(lead: LeadPayload, fields: readonly SourceField[]): readonly FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const field of fields) {
    const value = lead[field.name];
    if (value === undefined || isBlank(value)) {
      if (field.required) issues.push({ field: field.name, problem: 'a value is required' });
      continue;
    }
    const problem = checkValue(value, field);
    if (problem !== undefined) issues.push({ field: field.name, problem });
  }
  return issues;
}

function checkValue(value: string | number | boolean | null, field: SourceField): string | undefined {
  if (value === null) return undefined;
  switch (field.type) {
    case 'email':
      if (
        typeof value !== 'string' ||
        !PLAUSIBLE_EMAIL.test(value.trim()) ||
        value.trim().length > MAX_EMAIL_LENGTH
      )
        return `${quoteValue(value)} is not an email address`;
      break;
    case 'number':
      if (parseDecimal(value) === undefined) return `${quoteValue(value)} is not a number`;
      break;
    case 'checkbox':
      if (parseYesNo(value) === undefined) return `${quoteValue(value)} is not yes or no`;
      break;
    case 'select': {
      const options = field.options ?? [];
      const wanted = String(value).trim().toLowerCase();
      if (!options.some((option) => option.trim().toLowerCase() === wanted))
        return `${quoteValue(value)} is not one of the options (${options.join(', ')})`;
      break;
    }
    case 'phone':
      if ((String(value).match(/\d/g) ?? []).length < 3) return `${quoteValue(value)} is not a phone number`;
      break;
    case 'text':
    case 'textarea':
      if (typeof value === 'boolean') return `${quoteValue(value)} is not text`;
      break;
  }
  if (field.maxLength !== undefined) {
    const length = characterCount(String(value));
    if (length > field.maxLength)
      return `${quoteValue(value)} is ${formatCount(length)} characters; the limit is ${formatCount(field.maxLength)}`;
  }
  return undefined;
}
