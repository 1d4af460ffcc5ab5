// Lint's work is bounded by its input: linear in the front-matter's keys (10,000 unknown keys took 20 s when each
// finding searched the whole mapping again), and a front-matter past the parse limit is not parsed at all (a 25 MB
// unclosed one exhausted the CLI's memory). Shown by results, never by timing: the number of times lint reads the
// YAML mapping's items and the front-matter's keys, and what lint returns for a block it does not read.
import assert from 'node:assert/strict';
import type { YAMLMap } from 'yaml';
import { hasRunbookFrontMatter } from '../../../../src/core/runbook/detect';
import { lint } from '../../../../src/core/runbook/lint';
import { MAX_FRONT_MATTER_LENGTH, parseRunbook, type ParsedRunbook } from '../../../../src/core/runbook/parse';

/** The front-matter `agent: claude-code` plus `count` unknown keys. */
function manyKeys(count: number): string {
  const lines = ['agent: claude-code', 'model: claude-sonnet-4-6', 'model_provider: anthropic'];
  for (let i = 0; i < count; i++) lines.push(`k${i}: v`);
  return `---\n${lines.join('\n')}\n---\n# Task\n`;
}

/**
 * Lints `parsed` with its top-level mapping's items and its data wrapped so that every read of an item, and every
 * listing of the data's keys (weighted by how many there are), is counted.
 */
function countedLint(parsed: ParsedRunbook): { reads: number; findings: ReturnType<typeof lint> } {
  let reads = 0;
  const frontMatter = parsed.frontMatter!;
  const map = frontMatter.document.contents as YAMLMap;
  map.items = new Proxy(map.items, {
    get(target, property, receiver) {
      if (typeof property === 'string' && /^\d+$/.test(property)) reads++;
      return Reflect.get(target, property, receiver);
    },
  });
  const data = new Proxy(frontMatter.data as Record<string, unknown>, {
    ownKeys(target) {
      const keys = Reflect.ownKeys(target);
      reads += keys.length;
      return keys;
    },
    get(target, property, receiver) {
      reads++;
      return Reflect.get(target, property, receiver);
    },
  });
  const findings = lint({ ...parsed, frontMatter: { ...frontMatter, data } });
  return { reads, findings };
}

describe('bounded lint', () => {
  it('reads the front-matter a bounded number of times per key, however many unknown keys there are', () => {
    const perKey = [500, 4000].map((count) => {
      const { reads, findings } = countedLint(parseRunbook(manyKeys(count)));
      // Every unknown key found, on its own line (lines 5 onwards), in order.
      const unknown = findings.filter((f) => f.code === 'key-unknown');
      assert.equal(unknown.length, count);
      assert.deepEqual(
        unknown.slice(0, 2).map((f) => [f.range.start.line, f.message]),
        [
          [
            4,
            '`k0` is not a runbook key: Jetty ignores it. Known keys: ' + unknown[0]!.message.split('Known keys: ')[1],
          ],
          [
            5,
            '`k1` is not a runbook key: Jetty ignores it. Known keys: ' + unknown[1]!.message.split('Known keys: ')[1],
          ],
        ],
      );
      assert.equal(unknown.at(-1)!.range.start.line, count + 3);
      return reads / count;
    });
    // Quadratic work read each key once per finding: 4,000 keys were 8 times the reads per key of 500.
    assert.ok(perKey[1]! <= perKey[0]! * 1.2, `reads per key: ${perKey.join(' → ')}`);
    assert.ok(perKey[1]! < 30, `reads per key: ${perKey[1]}`);
  });

  it('does not parse a front-matter longer than the limit, and says so in one finding instead', () => {
    const limit = MAX_FRONT_MATTER_LENGTH;
    // Exactly at the limit: parsed as usual.
    const filler = (length: number) => `note: ${'x'.repeat(length - 'note: '.length)}`;
    const base = 'agent: claude-code\nmodel: claude-sonnet-4-6\nmodel_provider: anthropic\n';
    const atLimit = `---\n${base}${filler(limit - base.length - 1)}\n---\n# T\n`;
    const parsedAt = parseRunbook(atLimit);
    assert.equal(parsedAt.frontMatter!.content.end - parsedAt.frontMatter!.content.start, limit);
    assert.equal(parsedAt.frontMatter!.tooLarge, false);
    assert.deepEqual(
      lint(atLimit).map((f) => f.code),
      ['key-unknown'],
    );

    const over = `---\n${base}${filler(limit + 10 - base.length)}\n---\n# T\n`;
    const parsedOver = parseRunbook(over);
    assert.equal(parsedOver.frontMatter!.tooLarge, true);
    assert.equal(parsedOver.frontMatter!.document.contents, null, 'the YAML is not parsed');
    assert.deepEqual(parsedOver.frontMatter!.entries, []);
    assert.ok(hasRunbookFrontMatter(parsedOver), 'its `agent:` line still makes it a runbook');
    const findings = lint(over);
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity, f.range.start, f.message]),
      [
        [
          'frontmatter-too-large',
          'warning',
          { line: 0, character: 0 },
          "The front-matter is 64 Ki characters long, more than the 64 Ki characters lint reads, so none of it is checked. A runbook's settings take a few hundred characters.",
        ],
      ],
    );
  });

  it('answers a 25 MB front-matter that is never closed with two findings, without parsing it', () => {
    const text = '---\nagent: claude-code\n' + 'key: value that goes on and on\n'.repeat(850_000);
    assert.ok(text.length > 25_000_000);
    const parsed = parseRunbook(text);
    assert.equal(parsed.frontMatter!.tooLarge, true);
    assert.equal(parsed.frontMatter!.close, undefined);
    const findings = lint(parsed);
    assert.deepEqual(
      findings.map((f) => f.code),
      ['frontmatter-unclosed', 'frontmatter-too-large'],
    );
    assert.equal(
      findings[1]!.message,
      "The front-matter is 25.1 Mi characters long, more than the 64 Ki characters lint reads, so none of it is checked. A runbook's settings take a few hundred characters, and this block is never closed: add a `---` line after the last setting.",
    );
  });
});
