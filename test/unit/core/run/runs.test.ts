// The run folder: names that sort by time, stay unique and fit a Daytona label; run.json written whole; saved runs read
// back newest first, skipping folders that are not runs or whose run.json says something else.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { slug } from '../../../../src/core/text';
import { RunFolder, loadRuns, runbookName, type RunRecord } from '../../../../src/core/run/runs';

describe('run folders', () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'runs-test-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const record = (id: string, startedAt: string, status: string = 'succeeded'): RunRecord =>
    ({
      version: 1,
      id,
      runbook: 'r',
      agent: 'codex',
      agentVersion: '0.169.0',
      model: 'gpt-5.4',
      provider: 'openai',
      sandbox: { kind: 'local' },
      startedAt,
      status,
      usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
      turns: 0,
      results: [],
    }) as RunRecord;

  it('names a run <runbook>-<local time>, unique within the second, short enough to be a Daytona label', async () => {
    const at = new Date(2026, 0, 2, 3, 4, 5);
    const first = await RunFolder.create(root, 'fix the tests!', at);
    const second = await RunFolder.create(root, 'fix the tests!', at);
    assert.deepEqual([first.id, second.id], ['fix-the-tests-20260102-030405', 'fix-the-tests-20260102-030405-2']);
    const long = await RunFolder.create(root, 'x'.repeat(200), at);
    assert.equal(slug(`${long.id}-999`), `${long.id}-999`, 'fits in 63 characters, with room for a suffix');
    const hola = await RunFolder.create(root, '--- ¡hola! ---', at);
    assert.equal(hola.id, 'hola-20260102-030405', 'a label starts and ends with a letter or digit');
    assert.equal(slug('***'), 'run');
    await Promise.all([first.close(), second.close(), long.close(), hola.close()]);
  });

  it('writes the trajectory line by line and run.json whole', async () => {
    const folder = await RunFolder.create(root, 'r', new Date());
    folder.appendLine('{"a":1}');
    folder.appendLine('{"b":2}');
    await folder.writeRecord(record(folder.id, '2026-01-01T00:00:00.000Z'));
    await folder.close();
    assert.equal(fs.readFileSync(folder.trajectoryFile, 'utf8'), '{"a":1}\n{"b":2}\n');
    assert.deepEqual(fs.readdirSync(folder.folder).sort(), ['run.json', 'trajectory.jsonl']);
  });

  it('reads saved runs back newest first, at most `limit`, skipping what is not a run', async () => {
    const save = (name: string, content: string) => {
      fs.mkdirSync(path.join(root, name));
      fs.writeFileSync(path.join(root, name, 'run.json'), content);
    };
    save('a', JSON.stringify(record('a', '2026-01-01T10:00:00.000Z')));
    save('b', JSON.stringify(record('b', '2026-01-03T10:00:00.000Z', 'running')));
    save('c', JSON.stringify(record('c', '2026-01-02T10:00:00.000Z', 'cancelled')));
    save('garbage', '{not json');
    save('wrong-status', JSON.stringify(record('w', '2026-01-04T10:00:00.000Z', 'exploded')));
    fs.writeFileSync(path.join(root, 'stray-file'), '');
    assert.deepEqual(
      (await loadRuns(root)).map((r) => [r.record.id, r.record.status]),
      [
        ['b', 'running'],
        ['c', 'cancelled'],
        ['a', 'succeeded'],
      ],
    );
    assert.deepEqual(
      (await loadRuns(root, 1)).map((r) => r.record.id),
      ['b'],
    );
    assert.deepEqual(await loadRuns(path.join(root, 'missing')), []);
  });

  it('takes a runbook’s name from its file', () => {
    assert.deepEqual(['fix-tests.runbook.md', '/a/b/report.md', 'NOTES.MD', 'plain'].map(runbookName), [
      'fix-tests',
      'report',
      'NOTES',
      'plain',
    ]);
  });
});
