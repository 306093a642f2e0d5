import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRegex, type SafeRegex } from './regex.js';

function regex(pattern: string): SafeRegex {
  const compiled = compileRegex(pattern);
  if (!compiled.ok) throw new Error(`${pattern}: ${compiled.message}`);
  return compiled.regex;
}

/** Runs a search with an unlimited budget; reports whether it found the pattern and its cost. */
const search = (pattern: string, subject: string): { found: boolean; steps: number } =>
  regex(pattern).search(subject, Infinity);

const found = (pattern: string, subject: string): boolean => search(pattern, subject).found;

describe('regular expressions (RE2 syntax, linear time)', () => {
  it('searches anywhere in the subject unless anchored', () => {
    expect(found('b+c', 'aabbbcd')).toBe(true);
    expect(found('^b', 'ab')).toBe(false);
    expect(found('a$', 'ba')).toBe(true);
    expect(found('a$', 'a\n')).toBe(false);
    expect(found('(?m)^b$', 'a\nb\nc')).toBe(true);
    expect(found('\\Ab', 'b') && !found('b\\z', 'b\n')).toBe(true);
  });

  it('supports classes, escapes, groups, alternation, repetition and flags', () => {
    expect(found('^[A-Z]-\\d{4}$', 'A-1001')).toBe(true);
    expect(found('^[^0-9]+$', 'abc') && !found('^[^0-9]+$', 'a1')).toBe(true);
    expect(found('^[\\w.-]+@[\\w-]+\\.[a-z]{2,}$', 'ada.l@example.org')).toBe(true);
    expect(found('^(?:ab|cd){2,3}$', 'abcdab') && !found('^(?:ab|cd){2,3}$', 'ab')).toBe(true);
    expect(found('^(?P<year>\\d{4})-(?<month>\\d\\d)$', '2024-05')).toBe(true);
    expect(found('\\bcat\\b', 'a cat sat') && !found('\\bcat\\b', 'concatenate')).toBe(true);
    expect(found('\\Bcat', 'concatenate')).toBe(true);
    expect(found('(?i)hello', 'Say HELLO') && found('(?i:x)Y', 'xY') && !found('(?i:x)Y', 'xy')).toBe(true);
    expect(found('a.c', 'a\nc')).toBe(false);
    expect(found('(?s)a.c', 'a\nc')).toBe(true);
    expect(found('\\x41\\x{42}\\u0043', 'ABC') && found('\\t', 'a\tb') && found('a\\.b', 'a.b')).toBe(true);
    expect(found('^.$', '😀') && found('^[😀-😂]$', '😁')).toBe(true);
    expect(found('[]a]', ']') && found('x{', 'x{') && found('a{,2}', 'a{,2}')).toBe(true);
    expect(found('^$', '') && found('', 'anything') && found('a|', 'b')).toBe(true);
    expect(found('(a*)*b', 'aab') && found('(a|)+b', 'b')).toBe(true);
  });

  it('agrees with JavaScript RegExp on randomly generated patterns', () => {
    const { pattern } = fc.letrec((tie) => ({
      pattern: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        tie('atom'),
        fc.tuple(tie('pattern'), tie('pattern')).map(([a, b]) => `${String(a)}${String(b)}`),
        fc.tuple(tie('pattern'), tie('pattern')).map(([a, b]) => `${String(a)}|${String(b)}`),
      ),
      atom: fc.oneof(
        fc.constantFrom('a', 'b', 'c', '.', '[ab]', '[^a]', '\\w', '^', '$', '\\b'),
        fc
          .tuple(tie('atom'), fc.constantFrom('*', '+', '?', '{2}', '{1,2}', '{0,}', '*?'))
          .map(([a, q]) => `(?:${String(a)})${q}`),
        tie('pattern').map((p) => `(${String(p)})`),
      ),
    }));
    // Within the engine's length limit (200 characters; longer patterns are refused, tested below).
    const accepted = (pattern as fc.Arbitrary<string>).filter((p) => p.length <= 200);
    fc.assert(
      fc.property(accepted, fc.stringMatching(/^[abc ]{0,12}$/), (p, subject) => {
        expect(found(p, subject)).toBe(new RegExp(p, 'u').test(subject));
      }),
      { numRuns: 1500 },
    );
  });

  it.each([
    ['a(?=b)', 'lookahead and lookbehind are not supported (RE2 syntax)'],
    ['(?<!a)b', 'lookahead and lookbehind are not supported (RE2 syntax)'],
    ['(a)\\1', 'backreferences (\\1) are not supported (RE2 syntax)'],
    ['\\pL', 'unicode classes (\\p) are not supported'],
    ['*a', "nothing to repeat before '*'; escape it as \\* to match it literally"],
    ['a**', 'a repetition cannot itself be repeated (e.g. a**); use a group: (a*)*'],
    ['a{1001}', 'repetition counts are limited to 1000'],
    ['a{3,2}', 'invalid repetition {3,2}: the maximum is below the minimum'],
    ['(a{1000}){1000}', 'the pattern is too complex (its repetitions expand too far)'],
    ['(ab', "missing ')' to close the group"],
    ['ab)', "unmatched ')'"],
    ['[ab', "missing ']' to close the character class"],
    ['[z-a]', 'invalid range in character class: its end is before its start'],
    ['\\q', 'unknown escape \\q'],
    ['a'.repeat(201), 'the pattern is 201 characters long; the limit is 200'],
  ])('rejects %s', (pattern, message) => {
    const compiled = compileRegex(pattern);
    expect(compiled.ok ? 'compiled' : compiled.message).toBe(message);
  });

  it('gives up once it has spent its allowance of steps', () => {
    const { found: hit, steps } = regex('a[xy]').search('a'.repeat(10_000), 500);
    expect(hit).toBe(false);
    expect(steps).toBeGreaterThan(500);
    expect(steps).toBeLessThan(600);
  });

  it('skips to the literal every match starts with, cheaply', () => {
    const subject = `${'a'.repeat(100_000)}ORD-1234`;
    expect(search('ORD-\\d+', subject)).toEqual({ found: true, steps: expect.any(Number) });
    expect(search('ORD-\\d+', subject).steps).toBeLessThan(1_000);
    expect(search('ORD-\\d+', subject.slice(0, -4)).found).toBe(false);
    expect(search('[0-9]{4}-[0-9]{2}', `${'x'.repeat(100_000)}2024-05`)).toEqual({
      found: true,
      steps: expect.any(Number),
    });
    expect(search('[0-9]{4}-[0-9]{2}', `${'x'.repeat(100_000)}2024-05`).steps).toBeLessThan(10_000);
    expect(search('.*zz.*', `${'x'.repeat(100_000)}\nzz`)).toEqual({ found: true, steps: expect.any(Number) });
    expect(search('.*zz.*', `${'x'.repeat(100_000)}zz`).steps).toBeLessThan(1_000);
    // Skipping ahead must not break assertions that follow the literal.
    expect(search('O\\b', 'xxO yO1').found).toBe(true);
    expect(search('O\\b', 'xxO1 yO1').found).toBe(false);
  });

  it('runs in time linear in the subject on patterns that make backtracking engines explode', () => {
    const subject = `${'a'.repeat(20_000)}!`;
    for (const pattern of ['(a+)+$', '(a|a)*b', '(a|aa)+$', '.*.*.*x', '(x+x+)+y', '^(a?){30}a{30}$']) {
      const { found: hit, steps } = search(pattern, subject);
      expect(hit, pattern).toBe(false);
      // Steps are live states per character: bounded by the program size, not by the subject.
      expect(steps, pattern).toBeLessThan(subject.length * 100);
    }
  });
});
