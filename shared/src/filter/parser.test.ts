import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFilter } from './filter.js';
import { compileError, flowEvent, show, valueOf } from './filter.testkit.js';
import { parse } from './parser.js';

const ast = (source: string): string => {
  const root = parse(source, 64);
  if (!root) throw new Error('blank');
  return show(root);
};

describe('parsing and precedence', () => {
  it('binds && tighter than || and flattens chains of one operator', () => {
    expect(ast('type == "a" || type == "b" && size > 1 || key == "k"')).toBe(
      '(|| (== type "a") (&& (== type "b") (> size 1)) (== key "k"))',
    );
  });

  it('binds arithmetic tighter than comparison, and * tighter than +', () => {
    expect(ast('size + 2 * 3 > 10 - 4 % 3')).toBe('(> (+ size (* 2 3)) (- 10 (% 4 3)))');
    expect(ast('(size + 2) * 3 > 0')).toBe('(> (* (+ size 2) 3) 0)');
  });

  it('binds unary operators tighter than anything binary, as in CEL', () => {
    expect(ast('!has(key) || -size < -1')).toBe('(|| (! (has key)) (< (- size) -1))');
    expect(ast('!!has(key)')).toBe('(! (! (has key)))');
  });

  it('reads member access, indexing and method calls left to right', () => {
    expect(ast('payload.items[0].sku.startsWith("S")')).toBe('(startsWith payload.items[0].sku "S")');
    expect(ast('headers["correlation-id"] == "c"')).toBe('(== headers["correlation-id"] "c")');
  });

  it('makes the conditional loosest and right-associative', () => {
    expect(ast('has(key) ? key == "a" : has(type) ? type == "b" : false')).toBe(
      '(? (has key) (== key "a") (? (has type) (== type "b") false))',
    );
  });

  it('parses in, lists and comprehensions', () => {
    expect(ast('type in ["a", "b",]')).toBe('(in type ["a" "b"])');
    expect(ast('payload.items.exists(i, i.qty > 1)')).toBe('(exists payload.items i (> i.qty 1))');
    expect(ast('all(payload.items, i, i.qty > 1)')).toBe('(all payload.items i (> i.qty 1))');
  });

  it('evaluates by CEL precedence', () => {
    expect(valueOf('true || false && false')).toBe(true);
    expect(valueOf('!false && false')).toBe(false);
    expect(valueOf('2 + 3 * 4 == 14')).toBe(true);
    expect(valueOf('-2 * -3 == 6')).toBe(true);
    expect(valueOf('(false ? "a" : true ? "b" : "c") == "b"')).toBe(true);
  });

  it('ignores whitespace, newlines and // comments', () => {
    expect(valueOf('channel == "orders" // the default channel\n  && size == 0')).toBe(true);
  });

  it('compiles a blank or comment-only filter to one that matches everything', () => {
    for (const source of ['', '   \n\t', '// nothing yet']) {
      const compiled = compileFilter(source);
      expect(compiled.ok && compiled.filter.test(flowEvent())).toBe(true);
      expect(compiled.ok && compiled.filter.usesPayload).toBe(false);
    }
  });
});

describe('syntax errors', () => {
  it('names the token found and what was expected, with its position, line, column and excerpt', () => {
    expect(compileError('channel == "payments" &&& x')).toEqual({
      message: "Unexpected '&' at line 1, column 25: expected an expression",
      position: 24,
      line: 1,
      column: 25,
      excerpt: 'channel == "payments" &&& x\n                        ^',
    });
  });

  it('counts lines and columns in multi-line filters, and points just after the end', () => {
    const error = compileError('channel == "a"\n  && payload.x >');
    expect(error.message).toBe('Unexpected end of input at line 2, column 17: expected an expression');
    expect(error).toMatchObject({ position: 31, line: 2, column: 17 });
    expect(error.excerpt).toBe('  && payload.x >\n                ^');
  });

  it.each([
    [
      '(channel == "a"',
      "Unexpected end of input at line 1, column 16: expected ')' to close the '(' at line 1, column 1",
    ],
    ['channel == "a")', "Unexpected ')' at line 1, column 15: there is no '(' to close"],
    ['channel = "a"', "Unexpected '=' at line 1, column 9: use '==' to compare"],
    ['channel == "a" & size > 1', "Unexpected '&' at line 1, column 16: use '&&' for and"],
    ['channel == "a" and size > 1', "Unexpected 'and' at line 1, column 16: use '&&' for and"],
    ['not has(key)', "Unknown name 'not' at line 1, column 1: use '!' for not"],
    [
      'channel == "a" size',
      "Unexpected 'size' at line 1, column 16: expected an operator such as &&, || or ==, or the end of the filter",
    ],
    ['channel == "payments', 'Unterminated string starting at line 1, column 12: add the closing "'],
    ['payload.', "Unexpected end of input at line 1, column 9: expected a field name after '.'"],
    ['payload.amount > 12abc', "Invalid number '12abc' at line 1, column 18"],
    ['payload.amount > .5', "Unexpected '.' at line 1, column 18: expected an expression; write 0.5 for a fraction"],
    [
      'type in ["a" "b"]',
      "Unexpected string \"b\" at line 1, column 14: expected ',' or ']' to close the list at line 1, column 9",
    ],
    [
      'payload.x == "\\d"',
      'Unknown escape \'\\d\' in a string at line 1, column 15: use \\\\ for a backslash, or a raw string such as r"\\d+" for a regular expression',
    ],
    ['size > 1 < 2', 'Comparisons cannot be chained at line 1, column 10: write a < b && b < c instead of a < b < c'],
    ['{"a": 1}', 'Map literals {…} are not supported at line 1, column 1'],
    ['size(payload, 2) > 1', 'size() takes 1 argument, got 2 at line 1, column 1: write size(x)'],
    ['payload.x.contains() ', 'contains() takes 1 argument, got 0 at line 1, column 11: write s.contains(x)'],
    ['has(1 + 2)', 'has() needs a field at line 1, column 5: write e.g. has(payload.amount)'],
    [
      'contains(channel, "a")',
      'contains is a method at line 1, column 1: write it after its subject, e.g. s.contains(…)',
    ],
    ['payload.x.int() > 1', 'int is a function at line 1, column 11: write int(…)'],
    [
      'payload.items.exists(channel, true)',
      "'channel' is already a name of the event at line 1, column 22: choose another variable name, e.g. x",
    ],
    [
      'payload.items.exists(1, true)',
      'Unexpected number 1 at line 1, column 22: expected a variable name, as in list.exists(x, x > 1)',
    ],
    [
      'channel == "a" constructor',
      "Unexpected 'constructor' at line 1, column 16: expected an operator such as &&, || or ==, or the end of the filter",
    ],
    [
      'toString(channel)',
      "Unknown function 'toString' at line 1, column 1: did you mean string? (available functions are matches, size, lower, upper, string, int, double, has, exists, all)",
    ],
    [
      'channel.valueOf()',
      "Unknown method 'valueOf' at line 1, column 9: available methods are contains, startsWith, endsWith, matches, size, lower, upper, exists, all",
    ],
  ])('%s', (source, message) => {
    expect(compileError(source).message).toBe(message);
  });

  it('suggests the closest name for an unknown one', () => {
    expect(compileError('chanel == "payments"').message).toBe(
      "Unknown name 'chanel' at line 1, column 1: did you mean channel?",
    );
    expect(compileError('Channel == "payments"').message).toContain('did you mean channel?');
    expect(compileError('payloadtext.contains("x")').message).toContain('did you mean payloadText?');
    expect(compileError('payload.items.exists(item, itme.qty > 1)').message).toContain('did you mean item?');
  });

  it('lists the valid names, and reminds that text needs quotes, when nothing is close', () => {
    const { message } = compileError('channel == payments');
    expect(message).toMatch(/^Unknown name 'payments' at line 1, column 12: available names are id, seq, channel, /);
    expect(message).toContain('text values need quotes, e.g. "payments"');
  });

  it('lists the available functions for an unknown one, suggesting the closest', () => {
    expect(compileError('foo(channel)').message).toBe(
      "Unknown function 'foo' at line 1, column 1: available functions are matches, size, lower, upper, string, int, double, has, exists, all",
    );
    expect(compileError('channel.startswith("pay")').message).toBe(
      "Unknown method 'startswith' at line 1, column 9: did you mean startsWith? " +
        '(available methods are contains, startsWith, endsWith, matches, size, lower, upper, exists, all)',
    );
  });

  it('points into a literal regular expression that is invalid', () => {
    const error = compileError('payloadText.matches("ab(c")');
    expect(error.message).toBe("Invalid regular expression at line 1, column 24: missing ')' to close the group");
    expect(error.position).toBe(23);
  });
});

describe('compile-time type checks', () => {
  it.each([
    [
      'channel == 5',
      'channel is a string and 5 is a number at line 1, column 9: values of different types never match (there is no conversion); convert one side with string(…), int(…) or double(…)',
    ],
    ['offset > 100', 'offset is a string and 100 is a number at line 1, column 8'],
    ['key == null', 'key is never null at line 1, column 5: to test whether it is present, use has(key)'],
    [
      'channel',
      'A filter must be a condition (true or false) at line 1, column 1, but channel is a string: compare it, e.g. channel == "…"',
    ],
    [
      'size + 1',
      'A filter must be a condition (true or false) at line 1, column 1, but size + 1 is a number: compare it, e.g. size + 1 > 0',
    ],
    ['!channel', "What follows '!' must be a condition (true or false) at line 1, column 2, but channel is a string"],
    [
      'has(key) && type',
      "Each side of '&&' must be a condition (true or false) at line 1, column 13, but type is a string",
    ],
    ['channel.size > 1', 'channel is a string and has no fields at line 1, column 1'],
    ['channel[0] == "o"', 'channel is a string and cannot be indexed with [] at line 1, column 1'],
    ['channel - 1 > 0', "'-' needs numbers at line 1, column 1, but channel is a string"],
    ['channel + 1 == "a1"', 'Cannot add a string and a number at line 1, column 9'],
    ['size(seq) > 1', 'size() measures text, lists and maps at line 1, column 6, but seq is a number'],
    ['partition.contains("1")', 'contains() works on text at line 1, column 1, but partition is a number'],
    [
      '[1, 2].contains(1)',
      'contains() works on text at line 1, column 1, but [1, 2] is a list; to look for an item in a list, write item in list',
    ],
    ['"a" in 5', "'in' needs a list, string or map on its right at line 1, column 8, but 5 is a number"],
    ['headers.x > 5', 'headers.x is a string and 5 is a number at line 1, column 11'],
    ['[1] < [2]', "'<' compares numbers or strings at line 1, column 5, but [1] is a list"],
  ])('%s', (source, message) => {
    expect(compileError(source).message).toContain(message);
  });

  it('lets anything read from the payload through: payloads differ between events', () => {
    for (const source of [
      'payload.amount == 5',
      'payload.flag',
      'payload.a + 1 > payload.b',
      'payload.s.contains("x")',
    ]) {
      expect(compileFilter(source).ok).toBe(true);
    }
  });
});

describe('limits', () => {
  it('rejects a filter longer than 2,000 characters', () => {
    const error = compileError(`channel == "${'x'.repeat(2000)}"`);
    expect(error.message).toBe('The filter is too long: 2,013 characters, at most 2,000 are allowed');
    expect(error.position).toBe(2000);
  });

  it('rejects nesting deeper than 64 levels, at the level that is too deep', () => {
    const error = compileError(`${'('.repeat(100)}has(key)${')'.repeat(100)}`);
    expect(error.message).toMatch(/^The filter is nested too deeply at line 1, column \d+: at most 64 levels/);
    expect(compileError(`${'!'.repeat(100)}has(key)`).message).toMatch(/nested too deeply/);
    expect(compileError(`size${' + 1'.repeat(80)} > 0`).message).toMatch(/nested too deeply/);
    expect(compileFilter(`${'('.repeat(20)}has(key)${')'.repeat(20)}`).ok).toBe(true);
  });

  it('keeps long chains of && and || shallow, so they are not "too deep"', () => {
    const source = Array.from({ length: 100 }, (_, i) => `type == "t${i}"`).join(' || ');
    expect(source.length).toBeLessThan(2000);
    expect(valueOf(source, flowEvent({ type: 't99' }))).toBe(true);
  });

  it('never throws on arbitrary input: it compiles or returns a positioned error', () => {
    const alphabet = fc.constantFrom(
      ...'abcxyz_019 .,()[]{}"\'\\!=<>&|+-*/%?:\n'.split(''),
      'channel',
      'payload',
      'headers',
      'in',
      'exists',
      'has(',
      'matches(',
      '.size()',
      'true',
      'null',
      '&&',
      '||',
      '==',
      'r"',
      '\\u',
      '😀',
    );
    const filterish = fc.array(alphabet, { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), filterish), (source) => {
        const compiled = compileFilter(source);
        if (compiled.ok) {
          expect(compiled.filter.evaluate(flowEvent()).ok !== undefined).toBe(true);
          return;
        }
        const { message, position, line, column, excerpt } = compiled.error;
        expect(message).not.toMatch(/^Internal error/);
        expect(position).toBeGreaterThanOrEqual(0);
        expect(position).toBeLessThanOrEqual(source.length);
        expect(line).toBeGreaterThanOrEqual(1);
        expect(column).toBeGreaterThanOrEqual(1);
        expect(excerpt).toContain('^');
      }),
      { numRuns: 3000 },
    );
  });
});
