// Thousands of random mutations of the example and gallery-shaped runbooks (byte flips, truncations, inserted `---`,
// tabs, CR, BOM, unicode) never make parse, lint, completion or hover throw, and every finding and fix lands inside
// the text.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { completeAt } from '../../../../src/core/runbook/complete';
import { hoverAt } from '../../../../src/core/runbook/hover';
import { lint } from '../../../../src/core/runbook/lint';
import { parseRunbook } from '../../../../src/core/runbook/parse';
import { LineIndex, type Range } from '../../../../src/core/runbook/text';
import { applyFix, FIXTURE_NAMES, fixture } from './helpers';

const MUTATIONS = 3000;
const SEED = 20261121;

/** mulberry32: a small seeded generator, so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '---',
  '\n---\n',
  '\t',
  '\r\n',
  '\r',
  '\ufeff',
  '😀',
  '\ud800',
  'é',
  '{{',
  '}}',
  '{{ secrets.X }}',
  ': ',
  '- ',
  '"',
  "'",
  '[',
  '{',
  '&a',
  '*a',
  '!!str',
  '#',
  '\u0000',
  'model: zai.glm-5\n',
  'agent: codex\n',
  '  ',
];

function mutate(text: string, next: () => number): string {
  const at = () => Math.floor(next() * (text.length + 1));
  const steps = 1 + Math.floor(next() * 4);
  for (let i = 0; i < steps; i++) {
    const kind = Math.floor(next() * 5);
    const p = at();
    if (kind === 0 && text.length)
      text = text.slice(0, p) + String.fromCharCode(Math.floor(next() * 0x3000)) + text.slice(p + 1);
    else if (kind === 1) text = text.slice(0, p);
    else if (kind === 2) text = text.slice(0, p) + PIECES[Math.floor(next() * PIECES.length)] + text.slice(p);
    else if (kind === 3) text = text.slice(0, p) + text.slice(p + Math.floor(next() * 10));
    else text = text.slice(0, p) + text.slice(at());
  }
  return text;
}

function assertInside(range: Range, lines: LineIndex, what: string): void {
  for (const p of [range.start, range.end]) {
    assert.ok(p.line >= 0 && p.line < lines.lineCount, `${what}: line ${p.line} of ${lines.lineCount}`);
    const length = lines.lineEnd(p.line) - lines.lineStart(p.line)!;
    assert.ok(
      p.character >= 0 && p.character <= length,
      `${what}: character ${p.character} of ${length} on line ${p.line}`,
    );
  }
  assert.ok(
    range.start.line < range.end.line ||
      (range.start.line === range.end.line && range.start.character <= range.end.character),
    `${what}: start after end`,
  );
}

describe('runbook fuzz', () => {
  const dir = path.resolve(__dirname, '../../../../examples');
  const examples = readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => readFileSync(path.join(dir, f), 'utf8'));
  // The gallery-shaped runbooks: sections, tables of both shapes, code blocks, origin blocks to break.
  for (const name of FIXTURE_NAMES) examples.push(fixture(name));
  examples.push(
    '---\nagent: claude-code\nmodel: gpt-5.5\nmodel_provider: anthropic\nsnapshot: python3\nimage: x\nversion: 1.0\nstrict_evaluation: yes\nprimary_outputs: [summary.md, /app/results/a.md]\nsecrets:\n  A:\n    env: A\ncode_checks:\n  timeout_sec: 1200\n  sources:\n    - name: s\n      type: git\n      url: u\nmcp_servers:\n  pw:\n    args: [a]\nmodel: dup\n---\n{{results_dir}} {{secrets.B}} {{nope}}\n',
  );

  it(`${MUTATIONS} mutated runbooks never throw, and every range and fix stays inside the text`, () => {
    const next = random(SEED);
    for (let i = 0; i < MUTATIONS; i++) {
      const text = mutate(examples[i % examples.length]!, next);
      const context = `mutation ${i}: ${JSON.stringify(text.slice(0, 200))}`;
      try {
        const parsed = parseRunbook(text);
        const lines = new LineIndex(text);
        const findings = lint(parsed);
        for (const finding of findings) {
          assertInside(finding.range, lines, `${finding.code} range`);
          for (const fix of finding.fixes) {
            if (!('edits' in fix)) continue;
            for (const edit of fix.edits) assertInside(edit.range, lines, `${finding.code} fix "${fix.title}"`);
            lint(applyFix(text, fix));
          }
        }
        const offset = Math.floor(next() * (text.length + 1));
        const completion = completeAt(parsed, offset);
        if (completion)
          assert.ok(
            completion.span.start <= offset && offset <= completion.span.end,
            'completion span holds the cursor',
          );
        const hover = hoverAt(parsed, offset);
        if (hover) assertInside(lines.rangeOf(hover.span), lines, 'hover');
      } catch (error) {
        assert.fail(`${context}\n${error instanceof Error ? error.stack : String(error)}`);
      }
    }
  });
});
