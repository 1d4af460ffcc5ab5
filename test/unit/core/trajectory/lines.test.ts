// Byte chunks → lines: boundaries, CRLF, UTF-8 split across chunks, invalid UTF-8, over-long lines, the last line.
import assert from 'node:assert/strict';
import { createLineSplitter, cutNotice, CUT_MARKER } from '../../../../src/core/trajectory/lines';
import { random } from './helpers';

function split(chunks: (Uint8Array | string)[], maxLineLength?: number): string[] {
  const lines: string[] = [];
  const splitter = createLineSplitter((l, dropped) => lines.push(dropped ? l + cutNotice(dropped) : l), {
    maxLineLength,
  });
  for (const c of chunks) splitter.push(c);
  splitter.end();
  return lines;
}

const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('line splitting', () => {
  it('splits lines inside one chunk and across chunk boundaries', () => {
    assert.deepEqual(split([bytes('a\nbc'), bytes('d\n'), bytes('e')]), ['a', 'bcd', 'e']);
  });

  it('gives the same lines for every way of cutting the bytes', () => {
    const text = 'première ligne\r\n{"type":"x","t":"日本語 🚀"}\n\nlast';
    const all = bytes(text);
    const expected = ['première ligne', '{"type":"x","t":"日本語 🚀"}', '', 'last'];
    for (let cut = 0; cut <= all.length; cut++)
      assert.deepEqual(split([all.subarray(0, cut), all.subarray(cut)]), expected, `cut at ${cut}`);
    const one = [...all].map((b) => Uint8Array.of(b));
    assert.deepEqual(split(one), expected);
  });

  it('tolerates CRLF, including a CR and its LF in different chunks, and keeps a lone CR inside a line', () => {
    assert.deepEqual(split([bytes('a\r'), bytes('\nb\r\n')]), ['a', 'b']);
    assert.deepEqual(split([bytes('a\rb\n')]), ['a\rb']);
  });

  it('replaces invalid UTF-8 with U+FFFD, including a sequence cut short at the end', () => {
    assert.deepEqual(split([Uint8Array.of(0x61, 0xff, 0x62, 0x0a, 0xe6, 0x97)]), ['a\uFFFDb', '\uFFFD']);
  });

  it('drops a byte-order mark at the start', () => {
    assert.deepEqual(split([Uint8Array.of(0xef, 0xbb, 0xbf, 0x7b, 0x7d, 0x0a)]), ['{}']);
  });

  it('cuts a line over the maximum length, says how much was dropped, and goes on with the next line', () => {
    const lines = split(['x'.repeat(5), 'y'.repeat(10), '\nnext\n'], 8);
    assert.deepEqual(lines, [`xxxxxyyy${CUT_MARKER}7 more characters]`, 'next']);
    assert.deepEqual(split(['z'.repeat(20) + '\nok'], 8), [`zzzzzzzz${CUT_MARKER}12 more characters]`, 'ok']);
  });

  it('emits nothing for an empty stream, and the last line without a newline at end()', () => {
    assert.deepEqual(split([]), []);
    assert.deepEqual(split([bytes('tail')]), ['tail']);
    assert.deepEqual(split([bytes('a\n')]), ['a']);
  });

  it('never throws on random bytes, and loses no newline', () => {
    const rnd = random(7);
    for (let round = 0; round < 200; round++) {
      const data = Uint8Array.from({ length: 1 + Math.floor(rnd() * 400) }, () =>
        rnd() < 0.1 ? 10 : Math.floor(rnd() * 256),
      );
      const newlines = data.filter((b) => b === 10).length;
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < data.length;) {
        const n = 1 + Math.floor(rnd() * 20);
        chunks.push(data.subarray(i, i + n));
        i += n;
      }
      const lines = split(chunks);
      const endsWithNewline = data[data.length - 1] === 10;
      assert.equal(lines.length, newlines + (endsWithNewline ? 0 : 1));
    }
  });
});
