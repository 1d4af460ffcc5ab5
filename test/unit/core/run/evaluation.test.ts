// Jetty's evaluation read from the agent's validation_report.json: the documented shape whole, the variants Jetty's
// gallery shows agents writing (stage/status words, other counters), and every way a report can be unreadable, none of
// which throws; run.json's `eval` taken only when whole.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  MAX_REPORT_BYTES,
  REPORT_FILE,
  asRunEval,
  describeEval,
  evalOf,
  parseEvaluationReport,
  readEvaluationReport,
  type EvaluationReport,
} from '../../../../src/core/run/evaluation';

const DOCUMENTED = {
  version: '1.2.0',
  run_date: '2026-11-30T09:12:00Z',
  parameters: { operation: 'extract-tables', pages: 3, strict: true, nested: { ignored: 1 } },
  stages: [
    { name: 'inputs_present', passed: true, message: 'input.pdf found in /app/assets' },
    { name: 'tables_extracted', passed: true, message: '6 rows, 5 columns' },
    { name: 'json_valid', passed: false, message: 'trailing comma on line 12' },
  ],
  results: { pass: 2, partial: 0, fail: 1 },
  overall_passed: false,
  output_files: ['/app/results/extracted_tables.json', '/app/results/summary.md', 42],
};

function report(value: unknown): EvaluationReport {
  const reading = parseEvaluationReport(JSON.stringify(value));
  assert.ok(reading.ok, JSON.stringify(reading));
  return reading.report;
}

describe('evaluation report', () => {
  it('reads the documented shape: stages, counters, overall, parameters as text, output files', () => {
    assert.deepEqual(report(DOCUMENTED), {
      version: '1.2.0',
      run_date: '2026-11-30T09:12:00Z',
      parameters: { operation: 'extract-tables', pages: '3', strict: 'true' },
      stages: [
        { name: 'inputs_present', outcome: 'pass', message: 'input.pdf found in /app/assets' },
        { name: 'tables_extracted', outcome: 'pass', message: '6 rows, 5 columns' },
        { name: 'json_valid', outcome: 'fail', message: 'trailing comma on line 12' },
      ],
      results: { pass: 2, partial: 0, fail: 1 },
      overall_passed: false,
      output_files: ['/app/results/extracted_tables.json', '/app/results/summary.md'],
    });
    assert.deepEqual(evalOf(report(DOCUMENTED)), { overall_passed: false, pass: 2, partial: 0, fail: 1 });
  });

  it("reads stages written with other words, and counts them when the counters are not Jetty's", () => {
    const variant = report({
      overall_passed: true,
      results: { steps_total: 4, steps_passed: 4, verdict: 'PASS' },
      stages: [
        { stage: 'lint', status: 'pass', results: ['ok'] },
        { stage: 'render', status: 'passed_with_issues', details: 'two warnings' },
        { id: 'gates', result: 'passed', notes: 'all 58 gates' },
        { stage: 'audit', status: 'warn' },
        { name: 'judge', passed: 'FAILED', description: 'tone off' },
        { unrelated: true },
        'not a stage',
      ],
    });
    assert.deepEqual(variant.stages, [
      { name: 'lint', outcome: 'pass' },
      { name: 'render', outcome: 'partial', message: 'two warnings' },
      { name: 'gates', outcome: 'pass', message: 'all 58 gates' },
      { name: 'audit', outcome: 'partial' },
      { name: 'judge', outcome: 'fail', message: 'tone off' },
    ]);
    assert.equal(variant.results, undefined, 'counters of another shape are not taken for pass/partial/fail');
    assert.deepEqual(evalOf(variant), { overall_passed: true, pass: 2, partial: 2, fail: 1 });
  });

  it('judges a report that does not say overall_passed by its stages, and one with nothing to judge not at all', () => {
    assert.deepEqual(evalOf(report({ stages: [{ name: 'a', passed: true }] })), {
      overall_passed: true,
      pass: 1,
      partial: 0,
      fail: 0,
    });
    assert.equal(evalOf(report({ stages: [{ name: 'a', passed: false }] }))?.overall_passed, false);
    assert.equal(evalOf(report({ notes: 'nothing here' })), undefined);
    assert.equal(evalOf(report({ overall_passed: 'yes' }))?.overall_passed, true);
  });

  it('says why a report cannot be read: not JSON, not an object, too big; and never throws', () => {
    assert.deepEqual(parseEvaluationReport('{"stages": ['), {
      ok: false,
      reason: 'unreadable',
      problem: 'it is not valid JSON',
    });
    assert.deepEqual(parseEvaluationReport('[1, 2]'), {
      ok: false,
      reason: 'unreadable',
      problem: 'it is not a JSON object',
    });
    assert.deepEqual(parseEvaluationReport(' '.repeat(MAX_REPORT_BYTES + 1)), {
      ok: false,
      reason: 'unreadable',
      problem: 'it is larger than 1 MB',
    });
    assert.ok(parseEvaluationReport('\uFEFF{"overall_passed": true}').ok, 'a byte-order mark is fine');
    for (const text of [
      'null',
      '"x"',
      '{"stages": {"a": 1}}',
      '{"stages": [null, 1, {"name": 5}]}',
      '{"results": null}',
    ])
      assert.doesNotThrow(() => parseEvaluationReport(text));
  });

  it('bounds what it keeps: long messages are cut, at most 500 stages', () => {
    const long = report({
      stages: Array.from({ length: 600 }, (_, i) => ({
        name: `s${i}`,
        passed: true,
        message: 'x'.repeat(i === 0 ? 5000 : 10),
      })),
    });
    assert.equal(long.stages.length, 500);
    assert.equal(long.stages[0]!.message!.length, 2001);
  });

  it("reads the results folder's file: missing, too big without reading it, or the report", async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'evaluation-'));
    try {
      assert.deepEqual(await readEvaluationReport(folder), { ok: false, reason: 'missing' });
      fs.writeFileSync(path.join(folder, REPORT_FILE), JSON.stringify(DOCUMENTED));
      const reading = await readEvaluationReport(folder);
      assert.ok(reading.ok);
      assert.equal(reading.report.stages.length, 3);
      fs.writeFileSync(path.join(folder, REPORT_FILE), Buffer.alloc(MAX_REPORT_BYTES + 1, 32));
      assert.deepEqual(await readEvaluationReport(folder), {
        ok: false,
        reason: 'unreadable',
        problem: 'it is larger than 1 MB',
      });
      fs.rmSync(path.join(folder, REPORT_FILE));
      fs.mkdirSync(path.join(folder, REPORT_FILE));
      const dir = await readEvaluationReport(folder);
      assert.equal(dir.ok, false, 'a folder in its place is not a report');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it("takes run.json's eval only when it has Jetty's four fields, and says it in a few words", () => {
    const whole = { overall_passed: true, pass: 5, partial: 0, fail: 0 };
    assert.deepEqual(asRunEval(whole), whole);
    assert.equal(asRunEval({ overall_passed: true, pass: 5 }), undefined);
    assert.equal(asRunEval({ overall_passed: 'true', pass: 5, partial: 0, fail: 0 }), undefined);
    assert.equal(asRunEval({ overall_passed: true, pass: -1, partial: 0, fail: 0 }), undefined);
    assert.equal(describeEval(whole), 'passed · 5 pass · 0 partial · 0 fail');
    assert.equal(describeEval({ ...whole, overall_passed: false, fail: 2 }), 'failed · 5 pass · 0 partial · 2 fail');
  });
});
