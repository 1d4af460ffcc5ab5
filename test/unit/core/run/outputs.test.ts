// The main output of a run, as Jetty's UI picks it: the runbook's primary_outputs that came home, in its order, else
// the first file the agent wrote that is not one of the reports.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { primaryFiles, primaryOutputsOf } from '../../../../src/core/run/outputs';

describe('primary files', () => {
  let folder: string;
  beforeEach(() => (folder = fs.mkdtempSync(path.join(os.tmpdir(), 'results-test-'))));
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  function written(file: string, at: number): void {
    fs.mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
    fs.writeFileSync(path.join(folder, file), file);
    fs.utimesSync(path.join(folder, file), at, at);
  }

  it('reads primary_outputs as a path or a list, without ./', () => {
    assert.deepEqual(primaryOutputsOf('./report.md'), ['report.md']);
    assert.deepEqual(primaryOutputsOf(['a.json', '', 3, 'b/c.pdf']), ['a.json', 'b/c.pdf']);
    assert.deepEqual(primaryOutputsOf(undefined), []);
  });

  it('keeps the declared outputs that came home, in the runbook’s order', () => {
    const results = ['extracted_tables.json', 'output.pdf', 'summary.md', 'validation_report.json'];
    assert.deepEqual(primaryFiles(['extracted_tables.json', 'missing.txt', 'output.pdf'], results, folder), [
      'extracted_tables.json',
      'output.pdf',
    ]);
  });

  it('else the first file written, never summary.md or validation_report.json', () => {
    written('summary.md', 1000);
    written('validation_report.json', 1001);
    written('z-first.csv', 1002);
    written('a-later.csv', 1003);
    const results = ['a-later.csv', 'summary.md', 'validation_report.json', 'z-first.csv'];
    assert.deepEqual(primaryFiles([], results, folder), ['z-first.csv']);
    assert.deepEqual(primaryFiles(['gone.pdf'], results, folder), ['z-first.csv'], 'declared but none came home');
    assert.deepEqual(primaryFiles([], ['summary.md'], folder), []);
  });
});
