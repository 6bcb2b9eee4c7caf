/**
 * SQL LIKE matching for contains/startswith/endswith. Dataverse hands these functions to SQL Server, so
 * `%`, `_`, `[..]` and `[^..]` inside the argument act as wildcards (MSDocs webapi/query/filter-rows.md
 * §Use wildcard characters); a literal wildcard is written as a one-character set, e.g. `[%]`.
 *
 * Matching is done by a small backtracking-free matcher instead of a RegExp: a pattern such as
 * `%a%a%a%a%b` would make a translated regular expression backtrack polynomially, and filter text is
 * attacker-controlled.
 */

export type LikeMode = 'contains' | 'startswith' | 'endswith';

const ANY_SEQUENCE = 0;
const ANY_CHAR = 1;
const LITERAL = 2;
const CHAR_SET = 3;

interface CharSet {
  readonly negated: boolean;
  /** Inclusive [from, to] code-unit pairs; a single character is a pair with from === to. */
  readonly ranges: readonly number[];
}

interface LikeToken {
  readonly kind: typeof ANY_SEQUENCE | typeof ANY_CHAR | typeof LITERAL | typeof CHAR_SET;
  readonly code: number;
  readonly set: CharSet | undefined;
}

const anySequence: LikeToken = { kind: ANY_SEQUENCE, code: 0, set: undefined };
const anyChar: LikeToken = { kind: ANY_CHAR, code: 0, set: undefined };

function literal(code: number): LikeToken {
  return { kind: LITERAL, code, set: undefined };
}

/** Reads `[...]` starting at `open`; returns undefined when it is not closed (SQL then treats `[` literally). */
function readCharSet(pattern: string, open: number): { token: LikeToken; end: number } | undefined {
  const close = pattern.indexOf(']', open + 1);
  if (close < 0) return undefined;
  let body = pattern.slice(open + 1, close);
  const negated = body.startsWith('^');
  if (negated) body = body.slice(1);
  const ranges: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const from = body.charCodeAt(i);
    if (i + 2 < body.length && body.charCodeAt(i + 1) === 45 /* - */) {
      const to = body.charCodeAt(i + 2);
      ranges.push(Math.min(from, to), Math.max(from, to));
      i += 2;
    } else {
      ranges.push(from, from);
    }
  }
  return { token: { kind: CHAR_SET, code: 0, set: { negated, ranges } }, end: close + 1 };
}

function tokenize(pattern: string): LikeToken[] {
  const tokens: LikeToken[] = [];
  for (let i = 0; i < pattern.length;) {
    const ch = pattern.charCodeAt(i);
    if (ch === 37 /* % */) {
      // Consecutive % are equivalent to one and would only slow the matcher down.
      if (tokens[tokens.length - 1] !== anySequence) tokens.push(anySequence);
      i++;
    } else if (ch === 95 /* _ */) {
      tokens.push(anyChar);
      i++;
    } else if (ch === 91 /* [ */) {
      const set = readCharSet(pattern, i);
      if (set === undefined) {
        tokens.push(literal(ch));
        i++;
      } else {
        tokens.push(set.token);
        i = set.end;
      }
    } else {
      tokens.push(literal(ch));
      i++;
    }
  }
  return tokens;
}

function setContains(set: CharSet, code: number): boolean {
  const { ranges } = set;
  let found = false;
  for (let i = 0; i < ranges.length && !found; i += 2) {
    found = code >= (ranges[i] ?? 0) && code <= (ranges[i + 1] ?? -1);
  }
  return found !== set.negated;
}

function tokenMatches(token: LikeToken, code: number): boolean {
  if (token.kind === LITERAL) return token.code === code;
  if (token.kind === ANY_CHAR) return true;
  return token.set !== undefined && setContains(token.set, code);
}

/**
 * Classic wildcard matching with a single backtrack point: on a mismatch, retry from the last `%` one
 * character further on. Runs in O(value × pattern) time in the worst case.
 */
function matchTokens(value: string, tokens: readonly LikeToken[]): boolean {
  let vi = 0;
  let ti = 0;
  let starToken = -1;
  let starValue = 0;
  while (vi < value.length) {
    const token = tokens[ti];
    if (token !== undefined && token.kind === ANY_SEQUENCE) {
      starToken = ti++;
      starValue = vi;
    } else if (token !== undefined && tokenMatches(token, value.charCodeAt(vi))) {
      vi++;
      ti++;
    } else if (starToken >= 0) {
      ti = starToken + 1;
      vi = ++starValue;
    } else {
      return false;
    }
  }
  while (tokens[ti]?.kind === ANY_SEQUENCE) ti++;
  return ti === tokens.length;
}

/**
 * Compiles a contains/startswith/endswith argument once into a case-insensitive matcher (Dataverse string
 * comparisons are case-insensitive, MSDocs webapi/query/filter-rows.md §Filter using string values).
 */
export function compileLikeMatcher(pattern: string, mode: LikeMode): (value: string) => boolean {
  const lowered = pattern.toLowerCase();
  if (!/[%_[]/.test(lowered)) {
    if (mode === 'contains') return (value) => value.toLowerCase().includes(lowered);
    if (mode === 'startswith') return (value) => value.toLowerCase().startsWith(lowered);
    return (value) => value.toLowerCase().endsWith(lowered);
  }
  const body = tokenize(lowered);
  const tokens = [
    ...(mode === 'startswith' ? [] : [anySequence]),
    ...body,
    ...(mode === 'endswith' ? [] : [anySequence]),
  ].filter((token, i, all) => token !== anySequence || all[i - 1] !== anySequence);
  return (value) => matchTokens(value.toLowerCase(), tokens);
}
