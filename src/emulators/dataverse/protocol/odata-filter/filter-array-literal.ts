import type { ArrayItem } from './filter-ast.js';
import { FilterError, unterminatedLiteral } from './filter-error.js';

/**
 * Dataverse reads `PropertyValues=[...]` with a JSON reader, not the OData literal grammar: values are
 * JSON strings (`["a","b"]`, the documented form) or numbers, and the reader also tolerates single-quoted
 * strings (`['1','2']`, used by the ContainValues reference page). A single quote inside a single-quoted
 * value ends it, which is why MSDocs webapi/query/filter-rows.md §Manage single quotes tells callers to
 * use double quotes for `O'Brian` and quotes the resulting error verbatim.
 */
export const ARRAY_COMMA_EXPECTED =
  "Invalid JSON. A comma character ',' was expected in scope 'Array'. Every two elements in an array and properties of an object must be separated by commas.";

const JSON_NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "'": "'",
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

function unexpected(text: string, position: number): FilterError {
  return new FilterError(
    `Invalid JSON. Unexpected character '${text.charAt(position)}' at position ${position} in '${text}'.`,
    { position },
  );
}

function skipWhitespace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text.charAt(i))) i++;
  return i;
}

function readQuoted(text: string, open: number): { value: string; end: number } {
  const quote = text.charAt(open);
  let value = '';
  let i = open + 1;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (ch === quote) return { value, end: i + 1 };
    if (ch !== '\\') {
      value += ch;
      i++;
      continue;
    }
    const escape = text.charAt(i + 1);
    const simple = SIMPLE_ESCAPES[escape];
    if (simple !== undefined) {
      value += simple;
      i += 2;
    } else if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
      value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
      i += 6;
    } else if (i + 1 >= text.length) {
      break;
    } else {
      throw unexpected(text, i + 1);
    }
  }
  throw unterminatedLiteral(text.length, text);
}

function readItem(text: string, i: number): { value: ArrayItem; end: number } {
  const ch = text.charAt(i);
  if (ch === '"' || ch === "'") return readQuoted(text, i);
  for (const [word, value] of [
    ['true', true],
    ['false', false],
    ['null', null],
  ] as const) {
    if (text.startsWith(word, i) && !/[\w]/.test(text.charAt(i + word.length))) {
      return { value, end: i + word.length };
    }
  }
  JSON_NUMBER.lastIndex = i;
  const number = JSON_NUMBER.exec(text);
  if (number !== null) return { value: Number(number[0]), end: i + number[0].length };
  throw unexpected(text, i);
}

/** Reads the array literal whose `[` is at `open`; returns its items and the index just past `]`. */
export function readArrayLiteral(text: string, open: number): { items: ArrayItem[]; end: number } {
  const items: ArrayItem[] = [];
  let i = skipWhitespace(text, open + 1);
  if (text.charAt(i) === ']') return { items, end: i + 1 };
  for (;;) {
    if (i >= text.length) throw unterminatedLiteral(text.length, text);
    const item = readItem(text, i);
    items.push(item.value);
    i = skipWhitespace(text, item.end);
    if (i >= text.length) throw unterminatedLiteral(text.length, text);
    const separator = text.charAt(i);
    if (separator === ']') return { items, end: i + 1 };
    if (separator !== ',') throw new FilterError(ARRAY_COMMA_EXPECTED, { position: i });
    i = skipWhitespace(text, i + 1);
  }
}
