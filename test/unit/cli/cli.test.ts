// jetty-runbook's run and replay as a user runs them (a real process over src/cli.ts, or `run` called in this process
// where a test needs its own sandbox provider): what they print stays valid, the process never crashes whatever the
// agent printed, and the exit code is the agent's. `run` goes through the local sandbox with a stand-in claude
// on PATH (a bash script that answers --version with the pinned version, so the install step finds it installed).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import run, { type ProviderFactory } from '../../../src/cli/run';
import { KEY_NAMES } from '../../../src/core/keys';
import { createLocalProvider } from '../../../src/core/run/local';
import { SETTING_ENV } from '../../../src/core/settings';

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

describe('jetty-runbook: command lines', function () {
  this.timeout(60_000);

  it('--help of every subcommand: its usage on stdout, exit 0', () => {
    for (const command of ['check', 'compare', 'replay', 'run', 'schema']) {
      const { code, stdout, stderr } = cli([command, '--help']);
      assert.deepEqual([code, stderr], [0, ''], command);
      assert.match(stdout, new RegExp(`^usage: jetty-runbook ${command}\\b`), command);
    }
    const top = cli(['--help']);
    assert.equal(top.code, 0);
    assert.match(top.stdout, /commands: check \| compare \| replay \| run \| schema/);
  });

  it('--version is package.json’s', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.deepEqual(cli(['--version']), { code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('bad usage: what is wrong, then the usage, on stderr, exit 2', () => {
    const cases: [string[], string][] = [
      [['run', '--bogus', 'x.md'], "jetty-runbook run: unknown option '--bogus'"],
      [['run', 'x.md', '--format'], 'jetty-runbook run: --format needs a value'],
      [['run', 'x.md', '--sandbox', 'cloud'], 'jetty-runbook run: --sandbox is daytona or local, not "cloud"'],
      [['run', 'x.md', '--timeout-minutes', '0'], 'jetty-runbook run: --timeout-minutes is a positive number, not "0"'],
      [
        ['run', 'x.md', '--rule', 'no-such-rule=off'],
        "jetty-runbook run: unknown rule 'no-such-rule' (see jetty-runbook check --list-rules)",
      ],
      [['run'], 'jetty-runbook run: which runbook? Give its file.'],
      [['replay', 'a.jsonl', 'b.jsonl'], "jetty-runbook replay: one file at a time (got 'a.jsonl' and 'b.jsonl')"],
      [['replay', '--summary=yes', 'a.jsonl'], 'jetty-runbook replay: --summary takes no value'],
      [['schema', 'extra'], 'jetty-runbook schema: it takes no arguments (got extra)'],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = cli(args);
      assert.equal(code, 2, args.join(' '));
      assert.equal(stdout, '');
      assert.equal(stderr.split('\n')[0], message);
      assert.match(stderr, new RegExp(`\nusage: jetty-runbook ${args[0]}`));
    }
  });

  it('run --help names every environment variable the run reads', () => {
    const { stdout } = cli(['run', '--help']);
    for (const name of [...Object.values(SETTING_ENV), ...KEY_NAMES]) assert.ok(stdout.includes(name), name);
  });
});

describe('jetty-runbook: output that cannot crash', function () {
  this.timeout(60_000);
  let scratch: string;
  beforeEach(() => (scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-test-'))));
  afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('replay --format json prints a line nested too deep for JSON.stringify as valid JSON', () => {
    const { code, stdout, stderr } = cli(['replay', '-', '--format', 'json'], {
      input: `${NESTED}\n{"type":"result","subtype":"success","is_error":false}\n`,
    });
    assert.equal(code, 0, stderr);
    const events = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string });
    assert.deepEqual(
      events.map((e) => e.kind),
      ['other', 'result'],
    );
  });

  it('run --sandbox local --format json: an agent line nested too deep still gives valid JSON, run.json finished, nothing left behind', () => {
    const work = path.join(scratch, 'work');
    const tmp = path.join(scratch, 'tmp');
    for (const dir of [work, tmp]) fs.mkdirSync(dir);
    const bin = cachedClaude(scratch, `cat "$(dirname "$0")/nested.jsonl"`);
    fs.writeFileSync(
      path.join(bin, 'nested.jsonl'),
      `${NESTED}\n{"type":"result","subtype":"success","is_error":false,"num_turns":1}\n`,
    );
    fs.writeFileSync(
      path.join(work, 'deep.runbook.md'),
      '---\nagent: claude-code\nmodel: claude-sonnet-4-6\n---\nGo.\n',
    );
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: scratch,
      TMPDIR: tmp,
      ANTHROPIC_API_KEY: 'sk-ant-api03-cli-deep-test',
    };

    const { code, stdout, stderr } = cli(['run', 'deep.runbook.md', '--sandbox', 'local', '--format', 'json'], {
      cwd: work,
      env,
    });
    assert.equal(code, 0, stderr);
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; status?: string; folder?: string });
    assert.deepEqual(
      lines.map((l) => l.kind),
      ['other', 'result', 'run'],
    );
    assert.equal(lines[2]!.status, 'succeeded');
    const record = JSON.parse(fs.readFileSync(path.join(lines[2]!.folder!, 'run.json'), 'utf8')) as { status: string };
    assert.equal(record.status, 'succeeded');
    assert.deepEqual(
      fs.readdirSync(tmp).filter((name) => name.startsWith('jetty-sandbox-')),
      [],
      'the sandbox folder is gone',
    );
  });

  it('run: an agent that finishes but whose report says it failed exits 1, naming the evaluation and the main output', () => {
    const work = path.join(scratch, 'work');
    fs.mkdirSync(work);
    const report = JSON.stringify({
      stages: [{ name: 'check', passed: false }],
      results: { pass: 0, partial: 0, fail: 1 },
      overall_passed: false,
    });
    cachedClaude(
      scratch,
      [
        'mkdir -p /app/results && echo "# out" > /app/results/report.md',
        `echo '${report}' > /app/results/validation_report.json`,
        'echo \'{"type":"result","subtype":"success","is_error":false,"num_turns":1}\'',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(work, 'eval.runbook.md'),
      '---\nagent: claude-code\nmodel: claude-sonnet-4-6\n---\nGo.\n',
    );
    const env = { PATH: process.env.PATH ?? '', HOME: scratch, ANTHROPIC_API_KEY: 'sk-ant-api03-cli-eval-test' };
    const { code, stderr } = cli(['run', 'eval.runbook.md', '--sandbox', 'local'], { cwd: work, env });
    assert.equal(code, 1, stderr);
    assert.match(stderr, /\nEvaluation: failed · 0 pass · 0 partial · 1 fail\n/);
    assert.match(stderr, /\nMain output: \.jetty\/runs\/eval-\d{8}-\d{6}\/results\/report\.md\n/);
  });

  it('run takes --rule and --config as check does: a rule turned down no longer blocks the run', () => {
    cachedClaude(scratch, `echo '{"type":"result","subtype":"success","is_error":false}'`);
    fs.copyFileSync(path.join(ROOT, 'examples/bedrock-glm.md'), path.join(scratch, 'glm.md'));
    fs.writeFileSync(
      path.join(scratch, 'settings.json'),
      '{ // a VS Code settings.json\n "jetty.lint.rules": { "model-cross-family-bedrock": "warning" } }\n',
    );
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: scratch,
      TMPDIR: scratch,
      AWS_BEARER_TOKEN_BEDROCK: 'ABSKcli-rule-test',
    };
    const blocked = cli(['run', 'glm.md', '--sandbox', 'local'], { cwd: scratch, env });
    assert.equal(blocked.code, 2);
    assert.match(
      blocked.stderr,
      /glm\.md has an error, so it was not run:\n {2}line 5: .*\[model-cross-family-bedrock\]/,
    );
    for (const options of [
      ['--rule', 'model-cross-family-bedrock=warning'],
      ['--config', 'settings.json'],
    ]) {
      const ran = cli(['run', 'glm.md', '--sandbox', 'local', ...options], { cwd: scratch, env });
      assert.equal(ran.code, 0, `${options.join(' ')}: ${ran.stderr}`);
    }
  });

  it('run: a declared secret is read from the environment only when granted, and refused with the exact flag otherwise', () => {
    // The reproduction: a runbook declaring variables a CI machine or a terminal holds took them without asking.
    cachedClaude(
      scratch,
      'env > /app/results/env.txt; echo \'{"type":"result","subtype":"success","is_error":false}\'',
    );
    fs.writeFileSync(
      path.join(scratch, 'take.runbook.md'),
      [
        '---',
        'agent: claude-code',
        'model: claude-sonnet-4-6',
        'secrets:',
        '  AWS_SECRET_ACCESS_KEY: {}',
        '  x:',
        '    env: SSH_AUTH_SOCK',
        '  ACTIONS_ID_TOKEN_REQUEST_TOKEN:',
        '    required: false',
        '---',
        'Go.',
        '',
      ].join('\n'),
    );
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: scratch,
      TMPDIR: scratch,
      ANTHROPIC_API_KEY: 'sk-ant-api03-cli-secret-test',
      AWS_SECRET_ACCESS_KEY: 'aws-secret-canary-1234',
      SSH_AUTH_SOCK: '/tmp/ssh-agent-canary.sock',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'actions-token-canary-5678',
    };
    const refused = cli(['run', 'take.runbook.md', '--sandbox', 'local'], { cwd: scratch, env });
    assert.equal(refused.code, 2);
    assert.equal(
      refused.stderr,
      'jetty-runbook run: the runbook declares AWS_SECRET_ACCESS_KEY, x (read from SSH_AUTH_SOCK) under secrets, and no variable of this environment reaches the sandbox unless you grant it. Nothing was started.\n' +
        '  Grant them: --secret AWS_SECRET_ACCESS_KEY --secret SSH_AUTH_SOCK (or JETTY_SECRETS=AWS_SECRET_ACCESS_KEY,SSH_AUTH_SOCK), and run again.\n',
    );
    assert.ok(!fs.existsSync(path.join(scratch, '.jetty')), 'no run folder');

    const granted = cli(['run', 'take.runbook.md', '--sandbox', 'local', '--secret', 'AWS_SECRET_ACCESS_KEY'], {
      cwd: scratch,
      env: { ...env, JETTY_SECRETS: 'SSH_AUTH_SOCK' },
    });
    assert.equal(granted.code, 0, granted.stderr);
    const [folder] = fs.readdirSync(path.join(scratch, '.jetty', 'runs'));
    const seen = fs.readFileSync(path.join(scratch, '.jetty', 'runs', folder!, 'results', 'env.txt'), 'utf8');
    assert.ok(seen.includes('AWS_SECRET_ACCESS_KEY=aws-secret-canary-1234') && seen.includes('SSH_AUTH_SOCK='));
    assert.ok(!seen.includes('ACTIONS_ID_TOKEN_REQUEST_TOKEN'), 'an optional secret not granted is left out');
    assert.match(
      granted.stderr,
      /These results hold a key or secret of this run \(left as the agent wrote them\): env\.txt\./,
    );
    const record = fs.readFileSync(path.join(scratch, '.jetty', 'runs', folder!, 'run.json'), 'utf8');
    assert.deepEqual(JSON.parse(record).secretsInResults, ['env.txt']);
    assert.ok(!record.includes('aws-secret-canary-1234'));
  });

  it('run: a sandbox client that fails to close is said, and the agent’s exit code stands', async () => {
    const bin = cachedClaude(scratch, 'exit 3');
    fs.writeFileSync(
      path.join(scratch, 'fail.runbook.md'),
      '---\nagent: claude-code\nmodel: claude-sonnet-4-6\n---\nGo.\n',
    );
    const failingClose: ProviderFactory = () => ({
      ...createLocalProvider({ root: scratch, cliCache: path.dirname(path.dirname(bin)) }),
      dispose: () => Promise.reject(new Error('socket hang up')),
    });
    const { result, stderr } = await inProcess({ ANTHROPIC_API_KEY: 'sk-ant-api03-dispose-test' }, scratch, () =>
      run(['fail.runbook.md', '--sandbox', 'local'], failingClose),
    );
    assert.equal(result, 3, stderr);
    assert.match(stderr, /^jetty-runbook run: could not close the sandbox client: socket hang up$/m);
  });
});

/**
 * A stand-in `claude` where the local sandbox keeps the pinned CLI across runs (`$HOME/.cache/jetty-runbooks`, bound
 * read-only into the sandbox): the run's install step finds 2.1.126 there and goes on. Returns its bin folder.
 */
function cachedClaude(home: string, body: string): string {
  const bin = path.join(home, '.cache', 'jetty-runbooks', 'claude-code-2.1.126', 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(
    path.join(bin, 'claude'),
    `#!/bin/bash\nif [ "$1" = "--version" ]; then echo "2.1.126 (Claude Code)"; exit 0; fi\n${body}\n`,
    { mode: 0o755 },
  );
  return bin;
}

/** Runs `call` in this process with extra environment variables, another working folder, and its stdout/stderr kept. */
async function inProcess<T>(env: Record<string, string>, cwd: string, call: () => Promise<T>) {
  const saved = { env: { ...process.env }, cwd: process.cwd(), out: process.stdout.write, err: process.stderr.write };
  let stdout = '';
  let stderr = '';
  Object.assign(process.env, env);
  process.chdir(cwd);
  process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
  try {
    return { result: await call(), stdout, stderr };
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    process.chdir(saved.cwd);
    for (const name of Object.keys(env)) {
      if (saved.env[name] === undefined) delete process.env[name];
      else process.env[name] = saved.env[name];
    }
  }
}
