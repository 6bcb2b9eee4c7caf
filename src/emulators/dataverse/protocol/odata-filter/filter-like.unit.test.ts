import { describe, expect, it } from 'vitest';

import type { LikeMode } from './filter-like.js';
import { compileLikeMatcher } from './filter-like.js';

describe('compileLikeMatcher', () => {
  it.each<[string, LikeMode, string, boolean]>([
    ['abc', 'contains', 'xxABCxx', true],
    ['abc', 'contains', 'xxabxcx', false],
    ['abc', 'startswith', 'ABCdef', true],
    ['abc', 'startswith', 'xabc', false],
    ['abc', 'endswith', 'xyzAbC', true],
    ['abc', 'endswith', 'abcx', false],
    ['', 'contains', '', true],
    ['', 'startswith', 'anything', true],
    ['a%c', 'contains', 'xxabbbbcxx', true],
    ['a%c', 'startswith', 'ac', true],
    ['a%c', 'startswith', 'bac', false],
    ['a_c', 'contains', 'abc', true],
    ['a_c', 'contains', 'ac', false],
    ['a__', 'endswith', 'xabc', true],
    ['a__', 'endswith', 'xab', false],
    ['[abc]x', 'contains', 'zbx', true],
    ['[abc]x', 'contains', 'zdx', false],
    ['[a-c]1', 'startswith', 'B1', true],
    ['[^a-c]1', 'startswith', 'b1', false],
    ['[^a-c]1', 'startswith', 'd1', true],
    ['[%]', 'contains', '100%', true],
    ['[%]', 'contains', '100', false],
    ['[_]', 'contains', 'a_b', true],
    ['[_]', 'contains', 'ab', false],
    ['[[]x', 'contains', 'a[x', true],
    ['[x', 'contains', 'a[x', true],
    ['[-a]', 'contains', 'x-y', true],
    ['%', 'startswith', 'whatever', true],
    ['%%%', 'contains', '', true],
    ['%value', 'startswith', 'my value', true],
    ['value%', 'endswith', 'value!', true],
    ['ÄÖ', 'contains', 'xäöx', true],
  ])('%s %s %s → %s', (pattern, mode, value, expected) => {
    expect(compileLikeMatcher(pattern, mode)(value)).toBe(expected);
  });

  it('stays linear-ish on patterns that would make a translated RegExp backtrack', () => {
    const matcher = compileLikeMatcher('%a%a%a%a%a%a%a%a%a%a%b', 'contains');
    const value = 'a'.repeat(20_000);
    const started = performance.now();
    expect(matcher(value)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
