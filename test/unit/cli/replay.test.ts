// `jetty-runbook replay` as a user runs it (a real process over src/cli.ts): log lines, JSON events, the summary,
// standard input, redaction of keys from the environment, and exit code 2 with a clear message on unreadable input.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FIXTURES } from '../core/trajectory/helpers';

const ROOT = path.resolve(__dirname, '../../..');

function replay(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli.ts'), 'replay', ...args], {
    cwd: ROOT,
    input: options.input,
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const fixture = (name: string) => path.join(FIXTURES, name);

describe('jetty-runbook replay', function () {
  this.timeout(60_000);

  it('prints the Jetty log lines of a codex log', () => {
    const { code, stdout } = replay([fixture('codex-0.169.0/failing-command.jsonl')]);
    assert.equal(code, 0);
    assert.equal(
      stdout,
      [
        '[agent] started: session 01a1ffcb-c585-7253-9f42-be3590a88ec8',
        '[agent] warning: Model metadata for `gpt-5.4` not found. Defaulting to fallback metadata; this can degrade performance and cause issues.',
        "[agent] exec: /bin/bash -lc 'cat notes.txt'",
        '[agent] output (exit 1): cat: notes.txt: No such file or directory',
        '[agent] There is no notes.txt in this folder.',
        '[agent] turn done — tokens in=4900 out=63',
        '[agent] done — 1 turn, tokens in=4900 out=63',
        '',
      ].join('\n'),
    );
  });

  it('prints the normalised events as JSON lines, from standard input', () => {
    const { code, stdout } = replay(['-', '--format', 'json'], {
      input: '{"type":"system","subtype":"init","model":"m","tools":["Bash"]}\nnot json\n',
    });
    assert.equal(code, 0);
    assert.deepEqual(
      stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
      [
        { kind: 'init', line: 1, model: 'm', tools: ['Bash'] },
        { kind: 'unparsed', line: 2, text: 'not json', reason: 'not-json' },
      ],
    );
  });

  it('--summary prints counts per kind, tokens, cost and status', () => {
    const { code, stdout } = replay(['--summary', fixture('claude-code-2.1.126/max-turns.jsonl')]);
    assert.equal(code, 0, 'a failed run is still a readable log');
    assert.equal(
      stdout,
      [
        'format: claude-code',
        'status: failed — Reached maximum number of turns (1)',
        'turns: 2, 241 ms',
        'tokens: in=1700 out=21 (cache read 0, cache write 500, reasoning 0)',
        'cost: $0.0058',
        'events:',
        '  init: 1',
        '  command-started: 1',
        '  command-completed: 1',
        '  result: 1',
        '',
      ].join('\n'),
    );
  });

  it('redacts provider keys found in the environment', () => {
    const key = 'sk-ant-api03-replay-canary-0123456789';
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jetty-replay-'));
    const file = path.join(dir, 'log.jsonl');
    writeFileSync(
      file,
      `{"type":"assistant","message":{"id":"m","content":[{"type":"text","text":"my key is ${key}"}]}}\n`,
    );
    for (const format of ['text', 'json']) {
      const { code, stdout } = replay(['--format', format, file], { env: { ANTHROPIC_API_KEY: key } });
      assert.equal(code, 0);
      assert.ok(!stdout.includes(key), stdout);
      assert.ok(stdout.includes('my key is ***'));
    }
  });

  it('exits 2 with a clear message on a missing file, a folder, or bad arguments', () => {
    const missing = replay(['no-such.jsonl']);
    assert.deepEqual(
      [missing.code, missing.stdout, missing.stderr],
      [2, '', 'jetty-runbook replay: cannot read no-such.jsonl: no such file\n'],
    );
    const folder = replay([FIXTURES]);
    assert.equal(folder.code, 2);
    assert.equal(folder.stderr, `jetty-runbook replay: cannot read ${FIXTURES}: it is a folder\n`);
    const bad = replay(['--format', 'xml', 'x']);
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /^jetty-runbook replay: --format must be text or json, not 'xml'\nusage: jetty-runbook replay/,
    );
    assert.equal(replay([]).code, 2);
  });
});
