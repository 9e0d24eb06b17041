import type { SourceLocation } from './diagnostics.js';

/**
 * Maps 0-based offsets of a text to 1-based line and column.
 *
 * Built once per text (one pass to find line starts), then each lookup is a binary search, so a
 * policy with 10,000 rules does not pay a linear scan per diagnostic.
 */
export class LineMap {
  private readonly lineStarts: number[];

  constructor(text: string) {
    const starts = [0];
    if (text.indexOf('\r') < 0) {
      // The common case (LF only): let indexOf find the line ends, far faster than a char loop.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      // CRLF counts once: the LF after a CR starts the line, the CR alone also ends one.
      if (c === 10) starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
    }
    this.lineStarts = starts;
  }

  /** The location of `offset` (clamped to the text). */
  locate(offset: number): SourceLocation {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] as number) + 1, offset };
  }
}
