// Byte chunks → whole lines, for streams that arrive in arbitrary pieces (a sandbox's stdout, a file read in blocks,
// stdin): a line may span any number of chunks, and a multi-byte UTF-8 character may be split between two chunks (its
// first bytes wait for the rest). It never throws on any input; exceptions thrown by `onLine` itself propagate to the
// caller of push/end.

const MAX_LINE_LENGTH = 16 * 1024 * 1024;

/** Appended to a line cut at the maximum length, followed by the number of characters dropped and `]`. */
export const CUT_MARKER = ' …[line cut by Jetty: ';

/** What follows a line that lost `dropped` characters to the cut. */
export function cutNotice(dropped: number): string {
  return `${CUT_MARKER}${dropped} more characters]`;
}

export interface LineSplitter {
  /** Bytes (decoded as UTF-8 across chunk boundaries) or already-decoded text. Don't mix both in one stream. */
  push(chunk: Uint8Array | string): void;
  /** The stream is over: emits the last line if it had no newline. The splitter can be reused afterwards. */
  end(): void;
}

export interface LineSplitterOptions {
  /**
   * A line longer than this many characters (16 Mi by default) is cut there, so one runaway line cannot take the
   * extension host's memory.
   */
  maxLineLength?: number;
}

/**
 * `dropped`: how many characters the line lost to the maximum length (0: it is whole). The reader's onLine redacts
 * such a line as cut, then appends cutNotice: the cut may have split a key.
 */
export type OnLine = (line: string, dropped: number) => void;

/**
 * Invalid UTF-8 becomes U+FFFD; `\r\n` and `\n` both end a line; a leading byte-order mark is dropped.
 *
 *   const split = createLineSplitter((line, dropped) => …);
 *   split.push(chunk); …; split.end();   // end() emits a last line that has no newline
 */
export function createLineSplitter(onLine: OnLine, options: LineSplitterOptions = {}): LineSplitter {
  const max = Math.max(1, options.maxLineLength ?? MAX_LINE_LENGTH);
  // Bytes are decoded a chunk at a time by Buffer#toString (simdutf: several times faster than a streaming
  // TextDecoder), less the start of a character cut at the chunk's end, which waits for the next chunk.
  let carry: Buffer | undefined;
  let atStart = true;
  const decode = (chunk: Uint8Array): string => {
    let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (carry) {
      bytes = Buffer.concat([carry, bytes]);
      carry = undefined;
    }
    let end = bytes.length;
    for (let i = bytes.length - 1; i >= 0 && i >= bytes.length - 3; i--) {
      const byte = bytes[i]!;
      if (byte < 0x80) break;
      if (byte >= 0xc0) {
        // A lead byte: its character is cut when fewer bytes follow than it announces.
        if (bytes.length - i < (byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2)) end = i;
        break;
      }
    }
    if (end < bytes.length) carry = Buffer.from(bytes.subarray(end));
    let text = bytes.toString('utf8', 0, end);
    if (atStart && text.length) {
      atStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  };
  // The unfinished line so far (at most `max` characters) and how many characters past `max` were dropped.
  let pending = '';
  let dropped = 0;

  const keep = (piece: string) => {
    if (dropped > 0) {
      dropped += piece.length;
      return;
    }
    const room = max - pending.length;
    if (piece.length <= room) {
      pending += piece;
    } else {
      pending += piece.slice(0, room);
      dropped += piece.length - room;
    }
  };

  const emit = () => {
    let line = pending;
    const lost = dropped;
    if (lost === 0 && line.endsWith('\r')) line = line.slice(0, -1);
    pending = '';
    dropped = 0;
    onLine(line, lost);
  };

  const feed = (text: string) => {
    // String#split is V8's fastest way to cut a chunk into lines; the first piece continues the pending line, the last
    // one is the start of the next.
    const pieces = text.split('\n');
    const last = pieces.length - 1;
    for (let i = 0; i < last; i++) {
      const piece = pieces[i]!;
      if ((i === 0 && (pending !== '' || dropped > 0)) || piece.length > max) {
        keep(piece);
        emit();
      } else {
        // The common case, a whole line inside one chunk: no concatenation.
        onLine(piece.length > 0 && piece.charCodeAt(piece.length - 1) === 13 ? piece.slice(0, -1) : piece, 0);
      }
    }
    const rest = pieces[last]!;
    if (rest.length > 0) keep(rest);
  };

  return {
    push(chunk) {
      feed(typeof chunk === 'string' ? chunk : decode(chunk));
    },
    end() {
      const rest = carry ? carry.toString('utf8') : '';
      carry = undefined;
      atStart = true;
      if (rest) feed(rest);
      if (pending !== '' || dropped > 0) emit();
    },
  };
}
