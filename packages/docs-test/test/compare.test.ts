import { describe, expect, it } from 'vitest';
import { describeMismatch, matchLines } from '../src/compare.js';

describe('matchLines', () => {
  it('matches equal lines only, in order', () => {
    expect(matchLines(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(matchLines(['a', 'b'], ['b', 'a'])).toBe(false);
    expect(matchLines(['a'], ['a', 'b'])).toBe(false);
    expect(matchLines([], [])).toBe(true);
  });

  it('lets ... stand for any number of lines, none included', () => {
    expect(matchLines(['...', 'banner', '...'], ['log 1', 'log 2', 'banner', 'log 3'])).toBe(true);
    expect(matchLines(['...', 'banner', '...'], ['banner'])).toBe(true);
    expect(matchLines(['a', '...', 'z'], ['a', 'z'])).toBe(true);
    expect(matchLines(['a', '...', 'z'], ['a', 'b', 'y'])).toBe(false);
    expect(matchLines(['...', 'banner'], ['banner', 'late log'])).toBe(false);
  });
});

describe('describeMismatch', () => {
  it('shows both sides and marks the first line that differs', () => {
    expect(describeMismatch(['a', 'b'], ['a', 'c'])).toBe('expected (normalised):\n    a\n>>  b\nactual (normalised):\n    a\n>>  c');
    expect(describeMismatch(['a'], [])).toContain('(nothing)');
  });
});
