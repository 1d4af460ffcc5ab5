// `jetty-runbook compare` as a user runs it (a real process over src/cli.ts) on run folders shaped as runs leave them,
// with trajectories recorded from the real CLIs: the table (best values marked, commands aligned across claude-code and
// codex, result files), the same as JSON, keys from the environment redacted, and exit code 2 with a clear message.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { canary } from '../../canary';
import { validationReport, writeSavedRun } from '../../fakes/run-folder';

const ROOT = path.resolve(__dirname, '../../..');

function compare(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli.ts'), 'compare', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('jetty-runbook compare', function () {
  this.timeout(60_000);
  let runs: string;
  let claude: string;
  let codex: string;
  before(() => {
    runs = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'compare-')), '.jetty', 'runs');
    claude = writeSavedRun(runs, {
      id: 'report-20261201-101500',
      fixture: 'claude-code-2.1.126/failing-tool.jsonl',
      record: { eval: { overall_passed: false, pass: 2, partial: 0, fail: 1 } },
      results: {
        'report.md': '# Report',
        'validation_report.json': validationReport([{ name: 'inputs', passed: true, message: 'ok' }]),
      },
    });
    codex = writeSavedRun(runs, {
      id: 'report-20261201-101700',
      fixture: 'codex-0.169.0/failing-command.jsonl',
      record: { startedAt: '2026-12-01T10:17:00.000Z', finishedAt: '2026-12-01T10:17:41.000Z' },
      results: { 'report.md': '# Report, drafted' },
    });
  });
  after(() => fs.rmSync(path.dirname(path.dirname(runs)), { recursive: true, force: true }));

  it('prints the figures side by side with the best marked, the commands aligned, the files', () => {
    const { code, stdout, stderr } = compare([claude, codex]);
    assert.equal(code, 0, stderr);
    assert.equal(
      stdout,
      [
        '                 report-20261201-101500                report-20261201-101700',
        'agent · model    claude-code · claude-sonnet-4-6       codex · gpt-5.4',
        'provider         anthropic                             openai',
        'status           succeeded                             succeeded',
        'Evaluation       failed · 2 pass · 0 partial · 1 fail  –',
        'Pass             2                                     –',
        'Partial          0                                     –',
        'Fail             1                                     –',
        'Duration         1 min 5 s                             41.0 s *',
        'Turns            3                                     1 *',
        'Tokens in        5,700                                 4,900 *',
        'Tokens out       67                                    63 *',
        'Cache read       1,000                                 1,024',
        'Cache write      500                                   0',
        'Cost             $0.0158                               not reported',
        'Commands         1                                     1',
        'Failed commands  1                                     1',
        '',
        'Commands',
        '  cat notes.txt  exit 1  exit 1',
        '',
        'Result files',
        '  report.md               yes  yes',
        '  validation_report.json  yes  —',
        '',
        '* the best of its row',
        '',
      ].join('\n'),
    );
  });

  it('--format json: the comparison itself', () => {
    const { code, stdout } = compare([claude, codex, '--format', 'json']);
    assert.equal(code, 0);
    const c = JSON.parse(stdout);
    assert.deepEqual(
      c.columns.map((col: { id: string; agent: string }) => [col.id, col.agent]),
      [
        ['report-20261201-101500', 'claude-code'],
        ['report-20261201-101700', 'codex'],
      ],
    );
    assert.deepEqual(c.commands, [
      {
        command: 'cat notes.txt',
        cells: [
          { index: 1, exitCode: 1 },
          { index: 2, exitCode: 1 },
        ],
      },
    ]);
    assert.deepEqual(
      c.rows.find((r: { key: string }) => r.key === 'duration').cells.map((cell: { best: boolean }) => cell.best),
      [false, true],
    );
  });

  it('redacts a key from the environment out of what it prints', () => {
    const key = canary('COMPARE');
    const keyed = writeSavedRun(runs, {
      id: 'keyed-20261201-102000',
      fixture: 'codex-0.169.0/shell-command.jsonl',
      record: { runbook: `report ${key}` },
    });
    try {
      const { code, stdout } = compare([claude, keyed], { ANTHROPIC_API_KEY: key });
      assert.equal(code, 0);
      assert.ok(!stdout.includes(key), 'the key is not printed');
      const json = compare([claude, keyed, '--format', 'json'], { ANTHROPIC_API_KEY: key });
      assert.ok(!json.stdout.includes(key));
      assert.equal(JSON.parse(json.stdout).columns[1].runbook, 'report ***');
    } finally {
      fs.rmSync(keyed, { recursive: true, force: true });
    }
  });

  it('exit 2 with what is wrong: one run, no run, a folder that is not a run, a bad format', () => {
    assert.deepEqual(
      [compare([claude]).code, compare([claude]).stderr.split('\n')[0]],
      [2, 'jetty-runbook compare: compare needs two or more runs'],
    );
    assert.equal(compare([]).stderr.split('\n')[0], 'jetty-runbook compare: which runs? Give two or more run folders');
    const stray = compare([claude, runs]);
    assert.equal(stray.code, 2);
    assert.equal(stray.stderr, `jetty-runbook compare: ${runs} is not a run folder (it has no readable run.json)\n`);
    const bad = compare([claude, codex, '--format', 'csv']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^jetty-runbook compare: --format is text or json, not "csv"\n/);
    assert.equal(compare(['--help']).code, 0);
  });
});
