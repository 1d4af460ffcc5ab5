import assert from 'node:assert/strict';
import { entryOf, frontMatterMapping, locate, parseRunbook } from '../../../../src/core/runbook/parse';
import { LineIndex } from '../../../../src/core/runbook/text';

describe('parseRunbook', () => {
  it('splits front-matter and body and places every key and value exactly', () => {
    const text = '---\nagent: claude-code\nmodel: zai.glm-5\n---\n# Title\n';
    const parsed = parseRunbook(text);
    assert.deepEqual(frontMatterMapping(parsed), { agent: 'claude-code', model: 'zai.glm-5' });
    assert.equal(parsed.body, '# Title\n');
    assert.equal(parsed.bodyOffset, text.indexOf('# Title'));
    const model = entryOf(parsed, 'model')!;
    assert.deepEqual(model.keyRange, { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } });
    assert.deepEqual(model.valueRange, { start: { line: 2, character: 7 }, end: { line: 2, character: 16 } });
    assert.equal(text.slice(model.valueSpan!.start, model.valueSpan!.end), 'zai.glm-5');
    assert.deepEqual(parsed.frontMatter!.openRange, {
      start: { line: 0, character: 0 },
      end: { line: 0, character: 3 },
    });
  });

  it('keeps ranges right with CRLF line endings', () => {
    const text = '---\r\nagent: codex\r\nmodel: gpt-5.5\r\n---\r\nBody {{results_dir}}\r\n';
    const parsed = parseRunbook(text);
    assert.equal(parsed.eol, '\r\n');
    assert.deepEqual(entryOf(parsed, 'model')!.valueRange, {
      start: { line: 2, character: 7 },
      end: { line: 2, character: 14 },
    });
    assert.equal(parsed.body, 'Body {{results_dir}}\r\n');
    assert.deepEqual(parsed.lines.positionAt(text.indexOf('{{')), { line: 4, character: 5 });
  });

  it('accepts a BOM before the opening ---, counting it as the first character of line 0', () => {
    const parsed = parseRunbook('\ufeff---\nmodel: gpt-5.5\n---\n');
    assert.equal(parsed.bom, true);
    assert.deepEqual(frontMatterMapping(parsed), { model: 'gpt-5.5' });
    assert.deepEqual(parsed.frontMatter!.openRange.start, { line: 0, character: 1 });
    assert.deepEqual(entryOf(parsed, 'model')!.valueRange!.start, { line: 1, character: 7 });
  });

  it('reports a tab used for indentation as a YAML error at its position', () => {
    const text = '---\ncode_checks:\n\ttimeout_sec: 10\n---\n';
    const parsed = parseRunbook(text);
    const errors = parsed.frontMatter!.errors;
    assert.ok(errors.length > 0);
    assert.equal(errors[0]!.range.start.line, 2);
  });

  it('accepts tabs after values and after the delimiters', () => {
    const parsed = parseRunbook('---\t\nagent: codex\t\n---\t\nbody');
    assert.deepEqual(frontMatterMapping(parsed), { agent: 'codex' });
    assert.equal(parsed.frontMatter!.errors.length, 0);
    assert.equal(parsed.body, 'body');
  });

  it('closes at the first --- line: later ones belong to the body', () => {
    const text = '---\nagent: codex\n---\nintro\n---\nmore\n---\n';
    const parsed = parseRunbook(text);
    assert.equal(parsed.body, 'intro\n---\nmore\n---\n');
    assert.deepEqual(parsed.frontMatter!.close, { start: 17, end: 20 });
  });

  it('does not take ----, --- with text after it, or an indented --- for a delimiter', () => {
    assert.equal(parseRunbook('----\nagent: x\n----\n').frontMatter, undefined);
    assert.equal(parseRunbook('--- title\nagent: x\n---\n').frontMatter, undefined);
    const parsed = parseRunbook('---\nagent: codex\n ---\n---\n');
    assert.equal(parsed.frontMatter!.close!.start, '---\nagent: codex\n ---\n'.length);
  });

  it('reads an unclosed front-matter up to the first blank line, without throwing', () => {
    const text = '---\nagent: codex\nmodel: gpt-5.5\n\n# Instructions\nDo it.\n';
    const parsed = parseRunbook(text);
    assert.equal(parsed.frontMatter!.close, undefined);
    assert.deepEqual(frontMatterMapping(parsed), { agent: 'codex', model: 'gpt-5.5' });
    assert.equal(parsed.body, '\n# Instructions\nDo it.\n');
  });

  it('reads an unclosed front-matter without a blank line to the end of the text', () => {
    const parsed = parseRunbook('---\nagent: codex');
    assert.deepEqual(frontMatterMapping(parsed), { agent: 'codex' });
    assert.equal(parsed.body, '');
  });

  it('handles the empty file, a lone ---, and an empty front-matter', () => {
    const empty = parseRunbook('');
    assert.equal(empty.frontMatter, undefined);
    assert.equal(empty.body, '');
    const lone = parseRunbook('---');
    assert.equal(lone.frontMatter!.entries.length, 0);
    const blank = parseRunbook('---\n---\n');
    assert.equal(blank.frontMatter!.data, null);
    assert.equal(blank.body, '');
  });

  it('leaves text without front-matter whole, as body', () => {
    const parsed = parseRunbook('# Notes\n---\nagent: codex\n---\n');
    assert.equal(parsed.frontMatter, undefined);
    assert.equal(parsed.body, '# Notes\n---\nagent: codex\n---\n');
  });

  it('keeps every occurrence of a duplicated key, the last one winning in data', () => {
    const parsed = parseRunbook('---\nmodel: a\nmodel: b\n---\n');
    assert.deepEqual(
      parsed.frontMatter!.entries.map((e) => [e.key, e.value]),
      [
        ['model', 'a'],
        ['model', 'b'],
      ],
    );
    assert.equal(frontMatterMapping(parsed)!.model, 'b');
    assert.equal(entryOf(parsed, 'model')!.keyRange.start.line, 2);
  });

  it('locates nested values by path', () => {
    const text = '---\ncode_checks:\n  timeout_sec: 1200\nprimary_outputs:\n  - a.md\n  - b.md\n---\n';
    const fm = parseRunbook(text).frontMatter!;
    const timeout = locate(fm, ['code_checks', 'timeout_sec'])!;
    assert.equal(text.slice(timeout.valueSpan!.start, timeout.valueSpan!.end), '1200');
    assert.equal(text.slice(timeout.keySpan!.start, timeout.keySpan!.end), 'timeout_sec');
    const second = locate(fm, ['primary_outputs', 1])!;
    assert.equal(text.slice(second.valueSpan!.start, second.valueSpan!.end), 'b.md');
    assert.equal(locate(fm, ['nothing', 'here']), undefined);
  });

  it('survives an alias bomb with a finding instead of hanging or throwing', () => {
    const bomb = [
      '---',
      'a: &a [x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
      '---',
    ].join('\n');
    const parsed = parseRunbook(bomb);
    assert.ok(parsed.frontMatter!.errors.length > 0);
  });

  it('parses a 20 MB runbook, placing a variable at its very end exactly', () => {
    const line = 'Write the report to {{results_dir}}/out.md and check it twice, please.\n';
    const body = line.repeat(Math.ceil((20 * 1024 * 1024) / line.length));
    const text = `---\nagent: codex\nmodel: gpt-5.5\n---\n${body}{{tail}}`;
    const parsed = parseRunbook(text);
    assert.deepEqual(frontMatterMapping(parsed), { agent: 'codex', model: 'gpt-5.5' });
    assert.equal(parsed.body.length, body.length + 8);
    const lines = body.split('\n').length - 1;
    assert.deepEqual(parsed.lines.positionAt(text.length - 8), { line: 4 + lines, character: 0 });
  });
});

describe('LineIndex', () => {
  it('maps offsets and positions both ways over \\n, \\r\\n and lone \\r, like VS Code', () => {
    const text = 'ab\r\ncd\ref\ngh';
    const lines = new LineIndex(text);
    assert.equal(lines.lineCount, 4);
    assert.deepEqual(lines.positionAt(text.indexOf('c')), { line: 1, character: 0 });
    assert.deepEqual(lines.positionAt(text.indexOf('e')), { line: 2, character: 0 });
    assert.deepEqual(lines.positionAt(text.indexOf('h')), { line: 3, character: 1 });
    assert.deepEqual(lines.positionAt(3), { line: 0, character: 2 }, 'inside \\r\\n is the end of the line');
    assert.equal(lines.offsetAt({ line: 2, character: 1 }), text.indexOf('f'));
    assert.equal(lines.offsetAt({ line: 0, character: 99 }), 2, 'past the end of a line clamps to its end');
    assert.equal(lines.offsetAt({ line: 99, character: 0 }), text.length);
  });

  it('counts characters in UTF-16 code units, as VS Code does', () => {
    const text = '😀x\nmodel';
    const lines = new LineIndex(text);
    assert.deepEqual(lines.positionAt(text.indexOf('x')), { line: 0, character: 2 });
  });
});
