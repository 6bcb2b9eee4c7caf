import type { LiteralValue } from './filter-ast.js';
import { readArrayLiteral } from './filter-array-literal.js';
import { epochFromFields } from './filter-dates.js';
import { invalidCharacter, syntaxError, unrecognizedLiteral, unterminatedLiteral } from './filter-error.js';

/**
 * Splits `$filter` text into tokens. Keywords (`eq`, `and`, `not`, `any`, ...) come out as identifiers
 * and are interpreted by the parser, as in the OData library's lexer; `true`, `false` and `null` are
 * turned into literals here because they can never be property names.
 */

export type TokenKind =
  | 'literal'
  | 'identifier'
  | 'alias'
  | 'openParen'
  | 'closeParen'
  | 'comma'
  | 'slash'
  | 'colon'
  | 'equals'
  | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** Source text of the token (identifier and alias names; the raw literal text). */
  readonly text: string;
  readonly position: number;
  readonly literal: LiteralValue | undefined;
}

const PUNCTUATION: Readonly<Record<string, TokenKind>> = {
  '(': 'openParen',
  ')': 'closeParen',
  ',': 'comma',
  '/': 'slash',
  ':': 'colon',
  '=': 'equals',
};

// Dataverse writes GUIDs and dates unquoted (MSDocs webapi/query/filter-rows.md; dataverse.md §2), so
// they must be recognised before numbers and identifiers, which they can start like.
const GUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/y;
const DATE_TIME =
  /(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(Z|z|[+-]\d{2}:\d{2})?)?/y;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
const ALIAS = /@[A-Za-z_][A-Za-z0-9_]*/y;
const INT32_LIMIT = 2 ** 31;

function isIdentifierPart(ch: string): boolean {
  return /[A-Za-z0-9_]/.test(ch);
}

function matchAt(pattern: RegExp, text: string, position: number): RegExpExecArray | null {
  pattern.lastIndex = position;
  return pattern.exec(text);
}

function literalToken(literal: LiteralValue, text: string, position: number): Token {
  return { kind: 'literal', text, position, literal };
}

/** Reads `'...'`, where a doubled quote stands for one quote (`'O''Brien'`). */
function readString(text: string, open: number): Token {
  let value = '';
  let i = open + 1;
  for (;;) {
    const close = text.indexOf("'", i);
    if (close < 0) throw unterminatedLiteral(text.length, text);
    value += text.slice(i, close);
    if (text.charAt(close + 1) !== "'") {
      return literalToken({ type: 'string', value }, text.slice(open, close + 1), open);
    }
    value += "'";
    i = close + 2;
  }
}

function offsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
}

function readDateTime(text: string, position: number, match: RegExpExecArray): Token {
  const [raw, year, month, day, hour, minute, second, fraction, zone] = match;
  const hasTime = hour !== undefined;
  const edmType = hasTime ? 'Edm.DateTimeOffset' : 'Edm.Date';
  const end = position + raw.length;
  if (/[A-Za-z0-9_.:+-]/.test(text.charAt(end))) {
    const rest = /^[^\s(),]*/.exec(text.slice(end))?.[0] ?? '';
    throw unrecognizedLiteral(edmType, raw + rest, position, text);
  }
  const millisecond = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  const epochMs = epochFromFields(
    Number(year),
    Number(month),
    Number(day),
    Number(hour ?? 0),
    Number(minute ?? 0),
    Number(second ?? 0),
    millisecond,
    offsetMinutes(zone),
  );
  if (Number.isNaN(epochMs)) throw unrecognizedLiteral(edmType, raw, position, text);
  const literal: LiteralValue = hasTime
    ? { type: 'datetime', value: raw, epochMs }
    : { type: 'date', value: raw, epochMs };
  return literalToken(literal, raw, position);
}

/** Numbers may carry the OData type suffixes M (decimal), L (int64), D and F (floating point). */
function readNumber(text: string, position: number, raw: string): Token {
  let end = position + raw.length;
  const suffix = text.charAt(end).toUpperCase();
  const hasSuffix = 'MLDF'.includes(suffix) && suffix !== '' && !isIdentifierPart(text.charAt(end + 1));
  if (hasSuffix) end++;
  if (isIdentifierPart(text.charAt(end)) || text.charAt(end) === '.') throw syntaxError(end, text);
  const value = Number(raw);
  const isInteger = /^-?\d+$/.test(raw);
  let edmType: 'Edm.Int32' | 'Edm.Int64' | 'Edm.Decimal' | 'Edm.Double';
  if (hasSuffix) {
    edmType = suffix === 'M' ? 'Edm.Decimal' : suffix === 'L' ? 'Edm.Int64' : 'Edm.Double';
  } else if (isInteger) {
    edmType = Math.abs(value) < INT32_LIMIT ? 'Edm.Int32' : 'Edm.Int64';
  } else {
    edmType = /[eE]/.test(raw) ? 'Edm.Double' : 'Edm.Decimal';
  }
  if (suffix === 'L' && hasSuffix && !isInteger) throw syntaxError(position, text);
  return literalToken({ type: 'number', value, edmType }, text.slice(position, end), position);
}

function readWord(text: string, position: number): Token | undefined {
  const match = matchAt(IDENTIFIER, text, position);
  if (match === null) return undefined;
  const word = match[0];
  if (word === 'true' || word === 'false') {
    return literalToken({ type: 'boolean', value: word === 'true' }, word, position);
  }
  if (word === 'null') return literalToken({ type: 'null' }, word, position);
  return { kind: 'identifier', text: word, position, literal: undefined };
}

function readToken(text: string, position: number): Token {
  const ch = text.charAt(position);
  const punctuation = PUNCTUATION[ch];
  if (punctuation !== undefined) return { kind: punctuation, text: ch, position, literal: undefined };
  if (ch === "'") return readString(text, position);
  if (ch === '[') {
    const { items, end } = readArrayLiteral(text, position);
    return literalToken({ type: 'array', items }, text.slice(position, end), position);
  }
  if (ch === '@') {
    const alias = matchAt(ALIAS, text, position);
    if (alias === null) throw invalidCharacter(position, text);
    return { kind: 'alias', text: alias[0], position, literal: undefined };
  }
  if (/[0-9a-fA-F]/.test(ch)) {
    const guid = matchAt(GUID, text, position);
    if (guid !== null && !isIdentifierPart(text.charAt(position + 36))) {
      return literalToken({ type: 'guid', value: guid[0].toLowerCase() }, guid[0], position);
    }
  }
  if (/[0-9]/.test(ch)) {
    const date = matchAt(DATE_TIME, text, position);
    if (date !== null) return readDateTime(text, position, date);
  }
  if (/[0-9-]/.test(ch)) {
    const number = matchAt(NUMBER, text, position);
    if (number !== null) return readNumber(text, position, number[0]);
  }
  const word = readWord(text, position);
  if (word !== undefined) return word;
  throw invalidCharacter(position, text);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  for (;;) {
    while (position < text.length && /\s/.test(text.charAt(position))) position++;
    if (position >= text.length) {
      tokens.push({ kind: 'end', text: '', position: text.length, literal: undefined });
      return tokens;
    }
    const token = readToken(text, position);
    tokens.push(token);
    // Every token consumes at least one character, so the loop always terminates.
    position = token.position + Math.max(1, token.text.length);
  }
}

/**
 * Epoch ms of text holding exactly one date or datetime literal (`2024-01-01`, `2024-01-01T10:00:00Z`),
 * NaN otherwise. Query functions receive dates as strings (`PropertyValue='2024-01-01'`,
 * `PropertyValues=["2024-01-01","2024-02-01"]`) and must validate them as strictly as unquoted literals.
 */
export function parseDateText(text: string): number {
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch {
    return NaN;
  }
  const [first, second] = tokens;
  const literal = first?.literal;
  if (second?.kind !== 'end' || (literal?.type !== 'date' && literal?.type !== 'datetime')) return NaN;
  return literal.epochMs;
}
