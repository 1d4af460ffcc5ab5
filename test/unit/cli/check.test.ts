// jetty-runbook check as a user runs it: a real process, real files, its output and exit status.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

function run(args: string[], nodeOptions: string[] = []): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    [...nodeOptions, '--import', 'tsx', path.join(root, 'src/cli.ts'), 'check', ...args],
    { cwd: root, encoding: 'utf8' },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('jetty-runbook check', function () {
  this.timeout(60_000);
  let dir: string;
  const bad = '---\nagent: claude-code\nmodel: zai.glm-5\nmodel_provider: bedrock\n---\n# Task\n';
  const good = '---\nagent: codex\nmodel: gpt-5.5\nmodel_provider: openai\n---\nWrite {{results_dir}}/a.md\n';

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'jetty-check-'));
    mkdirSync(path.join(dir, 'runbooks/nested'), { recursive: true });
    mkdirSync(path.join(dir, 'node_modules/pkg'), { recursive: true });
    writeFileSync(path.join(dir, 'runbooks/bad.md'), bad);
    writeFileSync(path.join(dir, 'runbooks/nested/good.md'), good);
    writeFileSync(path.join(dir, 'runbooks/notes.md'), '# Notes\n{{whatever}}\n');
    writeFileSync(path.join(dir, 'runbooks/named.runbook.md'), '# Task\n{{results_dir}}\n');
    writeFileSync(path.join(dir, 'node_modules/pkg/bad.md'), bad);
    writeFileSync(
      path.join(dir, 'settings.json'),
      '{\n  // as in .vscode/settings.json\n  "jetty.lint.rules": { "model-cross-family-bedrock": "warning" },\n}\n',
    );
    writeFileSync(path.join(dir, 'broken.json'), '{ "jetty.lint.rules": ');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('walks directories, prints path:line:col: severity code message, and exits 1 on an error', () => {
    const { status, stdout } = run([path.join(dir, 'runbooks')]);
    assert.equal(status, 1);
    const lines = stdout.trim().split('\n');
    assert.ok(
      lines.some((l) => /bad\.md:3:8: error model-cross-family-bedrock claude-code cannot run `zai\.glm-5`/.test(l)),
      stdout,
    );
    // The runbook by name is linted (no front-matter: agent/model/provider infos); plain notes and node_modules are not.
    assert.ok(
      lines.some((l) => /named\.runbook\.md:1:1: info agent-missing/.test(l)),
      stdout,
    );
    assert.ok(!stdout.includes('notes.md'), 'plain markdown is left alone');
    assert.ok(!stdout.includes('node_modules'), 'node_modules is skipped');
    assert.ok(!stdout.includes('good.md'), 'a clean runbook prints nothing');
  });

  it('exits 0 when there are only warnings or less', () => {
    const { status, stdout } = run([path.join(dir, 'runbooks/nested/good.md')]);
    assert.equal(status, 0);
    assert.equal(stdout, '');
  });

  it('prints JSON findings with 1-based positions', () => {
    const { status, stdout } = run(['--format', 'json', path.join(dir, 'runbooks/bad.md')]);
    assert.equal(status, 1);
    const findings = JSON.parse(stdout) as Record<string, unknown>[];
    assert.deepEqual(
      findings.map(({ line, column, endLine, endColumn, severity, code }) => ({
        line,
        column,
        endLine,
        endColumn,
        severity,
        code,
      })),
      [{ line: 3, column: 8, endLine: 3, endColumn: 17, severity: 'error', code: 'model-cross-family-bedrock' }],
    );
    assert.match(String(findings[0]!.file), /bad\.md$/);
  });

  it('honours --rule overrides, and a config file with comments (flags win)', () => {
    const file = path.join(dir, 'runbooks/bad.md');
    const warned = run(['--rule', 'model-cross-family-bedrock=warning', file]);
    assert.equal(warned.status, 0);
    assert.match(warned.stdout, /warning model-cross-family-bedrock/);
    assert.equal(run(['--rule', 'model-cross-family-bedrock=off', file]).stdout, '');
    const configured = run(['--config', path.join(dir, 'settings.json'), file]);
    assert.equal(configured.status, 0);
    assert.match(configured.stdout, /warning model-cross-family-bedrock/);
    const both = run(['--config', path.join(dir, 'settings.json'), '--rule', 'model-cross-family-bedrock=error', file]);
    assert.equal(both.status, 1);
  });

  it('exits 2 with a clear message on bad usage or unreadable input', () => {
    const cases: [string[], RegExp][] = [
      [[], /no paths given/],
      [['--format', 'xml', dir], /--format must be text or json/],
      [['--rule', 'no-such-rule=off', dir], /unknown rule 'no-such-rule'/],
      [['--rule', 'model-broken=loud', dir], /level must be error, warning, info or off/],
      [['--bogus', dir], /unknown option '--bogus'/],
      [[path.join(dir, 'missing.md')], /cannot read .*missing\.md: no such file$/m],
      [['--config', path.join(dir, 'broken.json'), dir], /is not valid JSON/],
    ];
    for (const [args, message] of cases) {
      const { status, stderr } = run(args);
      assert.equal(status, 2, `${args.join(' ')} → ${stderr}`);
      assert.match(stderr, message);
    }
  });

  it('checks the gallery-shaped runbooks: only information, and exit 0', () => {
    const { status, stdout, stderr } = run([path.join(root, 'test/fixtures/runbooks')]);
    assert.equal(status, 0, stderr);
    assert.match(stderr, /^5 runbooks checked: 0 error\(s\), 0 warning\(s\), 1 info$/m);
    assert.match(stdout, /changelog-drafter\/RUNBOOK\.md:5:1: info provider-missing/);
  });

  it('answers a 25 MB front-matter that is never closed in a heap of 256 MB, where parsing it took 4.4 GB', () => {
    const file = path.join(dir, 'huge.md');
    writeFileSync(file, '---\nagent: claude-code\n' + 'key: value that goes on and on\n'.repeat(850_000));
    const { status, stdout, stderr } = run([file], ['--max-old-space-size=256']);
    assert.equal(status, 1, stderr.slice(-2000));
    assert.deepEqual(
      stdout
        .trim()
        .split('\n')
        .map((line) => line.split(' ').slice(0, 3).join(' ')),
      [`${file}:1:1: error frontmatter-unclosed`, `${file}:1:1: warning frontmatter-too-large`],
    );
  });

  it('says so when a named file is not a runbook, and exits 0', () => {
    const { status, stderr } = run([path.join(dir, 'runbooks/notes.md')]);
    assert.equal(status, 0);
    assert.match(stderr, /notes\.md is not a runbook/);
  });
});
