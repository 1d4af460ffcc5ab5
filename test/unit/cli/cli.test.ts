// jetty-runbook's run and replay as a user runs them (a real process over src/cli.ts): what they print stays valid and
// the process never crashes, whatever the agent printed. `run` goes through the local sandbox with a stand-in claude
// on PATH (a bash script that answers --version with the pinned version, so the install step finds it installed).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(__dirname, '../../..');
/** tsx's loader by URL: the CLI may run in a folder outside the repository. */
const TSX = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
/** A line JSON.parse accepts and JSON.stringify cannot print (its recursion overflows the stack). */
const NESTED = `{"type":"rate_limit_event","d":${'['.repeat(5000)}${']'.repeat(5000)}}`;

function cli(args: string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(process.execPath, ['--import', TSX, path.join(ROOT, 'src/cli.ts'), ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input,
    encoding: 'utf8',
    env: options.env ?? process.env,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('jetty-runbook: output that cannot crash', function () {
  this.timeout(60_000);
  let scratch: string;
  beforeEach(() => (scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-test-'))));
  afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('replay --format json prints a line nested too deep for JSON.stringify as valid JSON', () => {
    const { code, stdout, stderr } = cli(['replay', '-', '--format', 'json'], { input: `${NESTED}\n{"type":"result","subtype":"success","is_error":false}\n` });
    assert.equal(code, 0, stderr);
    const events = stdout.trim().split('\n').map((line) => JSON.parse(line) as { kind: string });
    assert.deepEqual(events.map((e) => e.kind), ['other', 'result']);
  });

  it('run --sandbox local --format json: an agent line nested too deep still gives valid JSON, run.json finished, nothing left behind', () => {
    const bin = path.join(scratch, 'bin');
    const work = path.join(scratch, 'work');
    const tmp = path.join(scratch, 'tmp');
    for (const dir of [bin, work, tmp]) fs.mkdirSync(dir);
    fs.writeFileSync(path.join(scratch, 'nested.jsonl'), `${NESTED}\n{"type":"result","subtype":"success","is_error":false,"num_turns":1}\n`);
    fs.writeFileSync(path.join(bin, 'claude'), `#!/bin/bash\nif [ "$1" = "--version" ]; then echo "2.1.126 (Claude Code)"; exit 0; fi\ncat '${scratch}/nested.jsonl'\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(work, 'deep.runbook.md'), '---\nagent: claude-code\nmodel: claude-sonnet-4-6\n---\nGo.\n');
    const env = { PATH: `${bin}:${process.env.PATH}`, HOME: scratch, TMPDIR: tmp, ANTHROPIC_API_KEY: 'sk-ant-api03-cli-deep-test' };

    const { code, stdout, stderr } = cli(['run', 'deep.runbook.md', '--sandbox', 'local', '--format', 'json'], { cwd: work, env });
    assert.equal(code, 0, stderr);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as { kind: string; status?: string; folder?: string });
    assert.deepEqual(lines.map((l) => l.kind), ['other', 'result', 'run']);
    assert.equal(lines[2]!.status, 'succeeded');
    const record = JSON.parse(fs.readFileSync(path.join(lines[2]!.folder!, 'run.json'), 'utf8')) as { status: string };
    assert.equal(record.status, 'succeeded');
    assert.deepEqual(fs.readdirSync(tmp).filter((name) => name.startsWith('jetty-sandbox-')), [], 'the sandbox folder is gone');
  });
});
