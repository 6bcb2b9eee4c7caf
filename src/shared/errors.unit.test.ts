import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalogue } from './errors.js';

/** docs/errors.md is the catalogue people read; it must say exactly what the code does. */
function documentedCodes(): Map<string, { status: number; retryable: boolean }> {
  const text = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const rows = new Map<string, { status: number; retryable: boolean }>();
  for (const match of text.matchAll(/^\|\s*`([a-z_]+)`\s*\|\s*(\d{3})\s*\|\s*(yes|no)\s*\|/gm))
    rows.set(match[1] ?? '', { status: Number(match[2]), retryable: match[3] === 'yes' });
  return rows;
}

describe('error catalogue', () => {
  const documented = documentedCodes();

  it('documents every code with its status and retry flag', () => {
    for (const [code, entry] of Object.entries(errorCatalogue))
      expect(documented.get(code), `docs/errors.md row for ${code}`).toEqual({
        status: entry.status,
        retryable: entry.retryable,
      });
  });

  it('documents no code the catalogue lacks', () => {
    expect([...documented.keys()].sort()).toEqual(Object.keys(errorCatalogue).sort());
  });
});
