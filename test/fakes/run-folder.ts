// A saved run folder as a run leaves it (`.jetty/runs/<id>/`: run.json, trajectory.jsonl, results/), with the
// trajectory taken from a fixture recorded from the real CLI: what the run view, the comparison and `compare` read.
import fs from 'node:fs';
import path from 'node:path';
import type { RunRecord } from '../../src/core/run/runs';

export interface SavedRunSpec {
  id: string;
  /** A recorded trajectory, e.g. `codex-0.169.0/shell-command.jsonl`; none: the run never got to the agent. */
  fixture?: string;
  record?: Partial<RunRecord>;
  /** Files under results/, by path. */
  results?: Record<string, string>;
}

/** Writes the folder under `runsRoot` (a `.jetty/runs`) and returns its path. `repoRoot` holds test/fixtures (inside
 * VS Code: the extension's folder; the suites are bundled elsewhere). */
export function writeSavedRun(
  runsRoot: string,
  spec: SavedRunSpec,
  repoRoot = path.resolve(__dirname, '..', '..'),
): string {
  const folder = path.join(runsRoot, spec.id);
  fs.mkdirSync(path.join(folder, 'results'), { recursive: true });
  const agent = spec.record?.agent ?? (spec.fixture?.startsWith('codex') ? 'codex' : 'claude-code');
  const record = runRecord(spec.id, agent, { results: Object.keys(spec.results ?? {}).sort(), ...spec.record });
  fs.writeFileSync(path.join(folder, 'run.json'), JSON.stringify(record, null, 2) + '\n');
  if (spec.fixture)
    fs.copyFileSync(
      path.join(repoRoot, 'test', 'fixtures', 'trajectories', spec.fixture),
      path.join(folder, 'trajectory.jsonl'),
    );
  for (const [file, text] of Object.entries(spec.results ?? {})) {
    fs.mkdirSync(path.dirname(path.join(folder, 'results', file)), { recursive: true });
    fs.writeFileSync(path.join(folder, 'results', file), text);
  }
  return folder;
}

/** run.json of a run of the `report` runbook that succeeded, as the runner writes it; `record` changes what it says. */
export function runRecord(id: string, agent: string, record: Partial<RunRecord> = {}): RunRecord {
  return {
    version: 1,
    id,
    runbook: 'report',
    runbookFile: 'report.runbook.md',
    agent,
    agentVersion: agent === 'codex' ? '0.169.0' : '2.1.126',
    model: agent === 'codex' ? 'gpt-5.4' : 'claude-sonnet-4-6',
    provider: agent === 'codex' ? 'openai' : 'anthropic',
    sandbox: { kind: 'daytona', id: `sandbox-${id}`, snapshot: 'python312-uv' },
    startedAt: '2026-12-01T10:15:00.000Z',
    finishedAt: '2026-12-01T10:16:04.500Z',
    status: 'succeeded',
    exitCode: 0,
    usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
    turns: 0,
    results: [],
    ...record,
  };
}

/** A validation_report.json in the shape Jetty's runbooks ask the agent to write. */
export function validationReport(stages: { name: string; passed: boolean; message: string }[]): string {
  const pass = stages.filter((s) => s.passed).length;
  return JSON.stringify(
    {
      version: '1.0.0',
      run_date: '2026-12-01T10:16:00Z',
      parameters: { operation: 'summarise', source: 'notes.txt' },
      stages,
      results: { pass, partial: 0, fail: stages.length - pass },
      overall_passed: pass === stages.length,
      output_files: ['/app/results/report.md', '/app/results/summary.md', '/app/results/validation_report.json'],
    },
    null,
    2,
  );
}
