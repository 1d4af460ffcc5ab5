// Offsets ↔ positions in the terms VS Code uses (0-based line, UTF-16 character), so a finding computed here lands on the
// same characters in the editor and in `jetty-runbook check`. `\r\n`, `\n` and a lone `\r` each end a line, as in VS Code.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Half-open [start, end) UTF-16 offsets into the whole text. */
export interface Span {
  start: number;
  end: number;
}

/**
 * Line starts, found lazily: a 20 MB runbook whose findings all sit in the front-matter only ever scans its first lines,
 * which keeps linting as you type independent of the body's size.
 */
export class LineIndex {
  private readonly starts: number[] = [0];
  /** Every line start at or before this offset is in `starts`. */
  private scanned = 0;
  /** Offset of the next \r at or after `scanned` (-1: none left); -2 until first looked for. */
  private nextCr = -2;

  constructor(readonly text: string) {}

  positionAt(offset: number): Position {
    const text = this.text;
    offset = Math.max(0, Math.min(offset, text.length));
    // Inside a \r\n pair is the end of the line, as VS Code has it.
    if (offset > 0 && text.charCodeAt(offset - 1) === 13 && text.charCodeAt(offset) === 10) offset--;
    this.scanTo(offset);
    const starts = this.starts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: offset - starts[low]! };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    const start = this.lineStart(position.line);
    if (start === undefined) return this.text.length;
    const end = this.lineEnd(position.line);
    return Math.min(start + Math.max(0, position.character), end);
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  rangeOf(span: Span): Range {
    return this.range(span.start, span.end);
  }

  /** Offset of the first character of `line`, or undefined past the last line. */
  lineStart(line: number): number | undefined {
    while (this.starts.length <= line && this.scanned < this.text.length) this.scanTo(this.scanned + 4096);
    return this.starts[line];
  }

  /** Offset just before the line break that ends `line` (or the end of the text). */
  lineEnd(line: number): number {
    const next = this.lineStart(line + 1);
    if (next === undefined) return this.text.length;
    let end = next - 1;
    if (end > 0 && this.text.charCodeAt(end) === 10 && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  get lineCount(): number {
    this.scanTo(this.text.length);
    return this.starts.length;
  }

  private scanTo(offset: number): void {
    if (offset < this.scanned) return;
    const text = this.text;
    const limit = Math.min(text.length, offset + 1);
    let i = this.scanned;
    while (i < limit) {
      // indexOf jumps over long lines far faster than a character loop; the next \r is remembered because most
      // texts have none, and searching for it again from every line would make the scan quadratic.
      const lf = text.indexOf('\n', i);
      if (this.nextCr !== -1 && this.nextCr < i) this.nextCr = text.indexOf('\r', i);
      const cr = this.nextCr;
      const breakAt = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (breakAt === -1 || breakAt >= limit) {
        i = limit;
        break;
      }
      let next = breakAt + 1;
      if (text.charCodeAt(breakAt) === 13 && text.charCodeAt(next) === 10) next++;
      this.starts.push(next);
      i = next;
    }
    this.scanned = Math.max(this.scanned, i);
  }
}

/** The line break the text uses most visibly (its first one), so inserted lines match their neighbours. */
export function detectEol(text: string): '\n' | '\r\n' {
  const lf = text.indexOf('\n');
  return lf > 0 && text.charCodeAt(lf - 1) === 13 ? '\r\n' : '\n';
}
