import { dataverseErrors } from '../errors.js';

/** The `Prefer` preferences the Web API honours (RFC 7240; protocols/dataverse.md §1.3). */
export interface Preferences {
  readonly returnRepresentation: boolean;
  /** Raw annotation list, e.g. `*` or `OData.Community.Display.V1.FormattedValue`. */
  readonly includeAnnotations?: string;
  readonly maxPageSize?: number;
  readonly trackChanges: boolean;
  readonly continueOnError: boolean;
}

export const MAX_PAGE_SIZE = 5000;

/** Parses one or several comma-separated Prefer values; quoted values may contain commas. */
export function parsePreferences(header: string | undefined): Preferences {
  let returnRepresentation = false;
  let includeAnnotations: string | undefined;
  let maxPageSize: number | undefined;
  let trackChanges = false;
  let continueOnError = false;
  for (const token of splitPreferTokens(header ?? '')) {
    const eq = token.indexOf('=');
    const name = (eq < 0 ? token : token.slice(0, eq)).trim().toLowerCase();
    const value =
      eq < 0
        ? ''
        : token
            .slice(eq + 1)
            .trim()
            .replace(/^"(.*)"$/, '$1');
    switch (name) {
      case 'return':
        returnRepresentation = value === 'representation';
        break;
      case 'odata.include-annotations':
        includeAnnotations = value;
        break;
      case 'odata.maxpagesize': {
        const n = Number(value);
        if (!Number.isInteger(n) || n <= 0)
          throw dataverseErrors.invalidArgument(
            `Invalid value '${value}' for the odata.maxpagesize preference.`,
          );
        maxPageSize = Math.min(n, MAX_PAGE_SIZE);
        break;
      }
      case 'odata.track-changes':
        trackChanges = true;
        break;
      case 'odata.continue-on-error':
        continueOnError = true;
        break;
      default:
        // Unknown preferences are ignored, as RFC 7240 §2 requires of servers.
        break;
    }
  }
  return {
    returnRepresentation,
    trackChanges,
    continueOnError,
    ...(includeAnnotations !== undefined ? { includeAnnotations } : {}),
    ...(maxPageSize !== undefined ? { maxPageSize } : {}),
  };
}

function splitPreferTokens(header: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let inQuote = false;
  for (const ch of header) {
    if (ch === '"') inQuote = !inQuote;
    if (ch === ',' && !inQuote) {
      if (current.trim()) tokens.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) tokens.push(current.trim());
  return tokens;
}

/** Whether an annotation (e.g. `OData.Community.Display.V1.FormattedValue`) is requested, wildcards included. */
export function wantsAnnotation(preferences: Preferences, annotation: string): boolean {
  const list = preferences.includeAnnotations;
  if (!list) return false;
  return list.split(',').some((raw) => {
    const pattern = raw.trim();
    if (pattern === '*') return true;
    if (pattern.startsWith('-')) return false;
    if (pattern.endsWith('*')) return annotation.startsWith(pattern.slice(0, -1));
    return pattern === annotation;
  });
}
