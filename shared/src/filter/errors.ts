/**
 * A filter that could not be compiled: what went wrong, where (0-based `position` into the
 * source; 1-based `line` and `column`, as editors count), and an `excerpt` of the offending
 * line with a caret under the position.
 */
export type FilterError = {
  readonly message: string;
  readonly position: number;
  readonly line: number;
  readonly column: number;
  readonly excerpt: string;
};

/** Line and column (both 1-based) of a 0-based position in `source`. */
function lineColumn(source: string, position: number): { line: number; column: number } {
  const at = Math.max(0, Math.min(position, source.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: at - lineStart + 1 };
}

/** "at line 1, column 5", the phrase every message uses to point at the source. */
export function where(source: string, position: number): string {
  const { line, column } = lineColumn(source, position);
  return `at line ${line}, column ${column}`;
}

const EXCERPT_WIDTH = 72;

/** The source line holding `position`, and a caret under it; long lines are cut around it. */
function excerpt(source: string, position: number): string {
  const at = Math.max(0, Math.min(position, source.length));
  const start = source.lastIndexOf('\n', at - 1) + 1;
  const newline = source.indexOf('\n', at);
  // Tabs and other control characters would misplace the caret: show them as spaces.
  let text = source.slice(start, newline === -1 ? source.length : newline).replace(/[\t\r\v\f]/g, ' ');
  let caret = at - start;
  if (text.length > EXCERPT_WIDTH) {
    const from = Math.max(0, Math.min(caret - EXCERPT_WIDTH / 2, text.length - EXCERPT_WIDTH));
    const head = from > 0 ? '…' : '';
    const tail = from + EXCERPT_WIDTH < text.length ? '…' : '';
    text = head + text.slice(from, from + EXCERPT_WIDTH) + tail;
    caret = caret - from + head.length;
  }
  return `${text}\n${' '.repeat(caret)}^`;
}

/** Builds a FilterError; `message` already names the location (see `where`). */
export function filterError(source: string, position: number, message: string): FilterError {
  const at = Math.max(0, Math.min(position, source.length));
  return { message, position: at, ...lineColumn(source, at), excerpt: excerpt(source, at) };
}

/** Thrown inside the compiler to unwind to `compileFilter`, which turns it into a FilterError. */
export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

/** Edit distance with adjacent transpositions (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}

/** The candidate closest to `name` (case-insensitively), if it is close enough to be a typo. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  const wanted = name.toLowerCase();
  const limit = Math.max(1, Math.floor(wanted.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
