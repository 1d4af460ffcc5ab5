// The runner over the real local sandbox with scripted stand-ins for the agent CLIs (bash scripts that print lines the
// real CLIs recorded, test/fixtures/trajectories/), so every way a run can go and end is checked quickly and offline.
// The same runner against the real SDK, the fake Daytona server and the real CLIs is test/e2e/run-daytona.test.ts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { providerSettingsFromEnv } from '../../../../src/core/keys';
import { createLocalProvider, LOCAL_HOME } from '../../../../src/core/run/local';
import { DEFAULT_VERSIONS } from '../../../../src/core/agents';
import { planRun, type RunPlan } from '../../../../src/core/run/plan';
import { runPlan, type RunDeps, type RunOutcome } from '../../../../src/core/run/runner';
import { Redactor } from '../../../../src/core/redact';
import { SandboxError, type SandboxProvider } from '../../../../src/core/run/sandbox';
import { recordRuns } from '../../../fakes/world';
import { VSCODE_WORDS } from '../../../../src/vscode/words';
import { CLI_WORDS } from '../../../../src/cli/words';

const FIXTURES = path.join(__dirname, '../../../fixtures/trajectories');
/** With a `/`, which some JSON encoders write as `\/`: the agent below prints it that way. */
const CANARY = 'sk-ant-api03-RUNNER/CANARY-7f3a9c';

describe('runner (local sandbox, scripted agents)', () => {
  let scratch: string;
  let bin: string;
  let sandboxes: string;
  let runs: string;

  beforeEach(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-test-'));
    bin = path.join(scratch, 'bin');
    sandboxes = path.join(scratch, 'sandboxes');
    runs = path.join(scratch, 'workspace', '.jetty', 'runs');
    fs.mkdirSync(bin);
    fs.mkdirSync(sandboxes);
  });
  afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

  /** A stand-in `claude` / `codex` on the sandbox's PATH: answers --version, then runs `body`. */
  function agent(
    name: 'claude' | 'codex',
    body: string,
    version = name === 'claude' ? '2.1.126 (Claude Code)' : 'codex-cli 0.169.0',
  ): void {
    fs.writeFileSync(
      path.join(bin, name),
      `#!/bin/bash\nif [ "$1" = "--version" ]; then echo "${version}"; exit 0; fi\n${body}\n`,
      { mode: 0o755 },
    );
  }

  function plan(text: string): RunPlan {
    const result = planRun({
      text,
      name: 'hello',
      sandbox: 'local',
      settings: { provider: providerSettingsFromEnv({}), versions: DEFAULT_VERSIONS, snapshots: {} },
      keys: { ANTHROPIC_API_KEY: CANARY, OPENAI_API_KEY: 'sk-proj-runner-openai' },
      secrets: {},
    });
    assert.ok(result.ok);
    return result.plan;
  }
  const CLAUDE = plan.bind(
    null,
    '---\nagent: claude-code\nmodel: claude-sonnet-4-6\n---\nWrite {{results_dir}}/hello.md\n',
  );
  const CODEX = plan.bind(null, '---\nagent: codex\nmodel: gpt-5.4\n---\nGo.\n');

  function deps(record: ReturnType<typeof recordRuns>, overrides: Partial<RunDeps> = {}): RunDeps {
    return {
      provider: local(),
      trajectories: record.trajectories,
      redact: new Redactor([CANARY]).redact,
      runsRoot: runs,
      runbookFile: 'hello.runbook.md',
      timeoutMinutes: 5,
      words: VSCODE_WORDS,
      ...overrides,
    };
  }

  /** The stand-ins come first on PATH, as an installed CLI would; they and the fixtures are readable inside. */
  const local = () =>
    createLocalProvider({
      root: sandboxes,
      readOnly: [scratch, FIXTURES],
      path: [bin],
      cliCache: path.join(scratch, 'cli-cache'),
    });
  /** A file in the (only) live sandbox's home, which is the agent's working directory. */
  const inSandbox = (file: string) => path.join(sandboxes, liveSandboxes()[0]!, 'root', LOCAL_HOME, file);
  const folderOf = (outcome: RunOutcome) => outcome.folder!;
  const read = (outcome: RunOutcome, file: string) => fs.readFileSync(path.join(folderOf(outcome), file), 'utf8');
  const record = (outcome: RunOutcome) => JSON.parse(read(outcome, 'run.json')) as Record<string, unknown>;
  const liveSandboxes = () => fs.readdirSync(sandboxes);

  it('delivers events while the agent runs, keeps the redacted stream and run.json, downloads the results, removes the sandbox', async () => {
    const lines = fs
      .readFileSync(path.join(FIXTURES, 'claude-code-2.1.126/tool-call.jsonl'), 'utf8')
      .trimEnd()
      .split('\n');
    fs.writeFileSync(path.join(scratch, 'first.jsonl'), `${lines.slice(0, 2).join('\n')}\n`);
    fs.writeFileSync(path.join(scratch, 'rest.jsonl'), `${lines.slice(2).join('\n')}\n`);
    // Prints the first lines, then waits until the test has seen them, then the rest: so they cannot all arrive at the end.
    agent(
      'claude',
      [
        `cat '${scratch}/first.jsonl'`,
        'while [ ! -e release ]; do sleep 0.02; done',
        `echo '{"type":"system","subtype":"note","key":"${CANARY.replace('/', '\\/')}"}'`,
        `cat '${scratch}/rest.jsonl'`,
        'mkdir -p /app/results/sub && echo hi > /app/results/hello.md && echo x > /app/results/sub/x.txt',
      ].join('\n'),
    );
    const shown = recordRuns();
    const progress: string[] = [];
    const running = runPlan(CLAUDE(), deps(shown, { onProgress: (m) => progress.push(m) }));
    await shown.seen((e) => e.kind === 'thinking');
    assert.ok(!shown.events.some((e) => e.kind === 'result'), 'the first events arrived before the agent finished');
    fs.writeFileSync(inSandbox('release'), '');
    const outcome = await running;

    assert.equal(outcome.status, 'succeeded', JSON.stringify(outcome.error));
    assert.equal(outcome.exitCode, 0);
    assert.deepEqual(outcome.results, ['hello.md', 'sub/x.txt']);
    assert.equal(fs.readFileSync(path.join(folderOf(outcome), 'results/hello.md'), 'utf8'), 'hi\n');
    assert.deepEqual(liveSandboxes(), [], 'the sandbox is gone');
    assert.match(path.basename(folderOf(outcome)), /^hello-\d{8}-\d{6}$/);
    assert.equal(path.dirname(folderOf(outcome)), runs);
    assert.deepEqual(shown.finished, [{ status: 'succeeded' }]);
    assert.deepEqual(
      shown.events.map((e) => e.kind),
      ['init', 'thinking', 'other', 'text', 'command-started', 'command-completed', 'text', 'result'],
    );
    const saved = read(outcome, 'trajectory.jsonl');
    assert.equal(
      saved,
      [...lines.slice(0, 2), '{"type":"system","subtype":"note","key":"***"}', ...lines.slice(2)].join('\n') + '\n',
    );
    assert.ok(!fs.readFileSync(path.join(folderOf(outcome), 'run.json'), 'utf8').includes(CANARY));
    const r = record(outcome);
    assert.deepEqual(
      {
        ...r,
        startedAt: typeof r.startedAt,
        finishedAt: typeof r.finishedAt,
        sandbox: { ...(r.sandbox as object), id: typeof (r.sandbox as { id: unknown }).id },
      },
      {
        version: 1,
        id: path.basename(folderOf(outcome)),
        runbook: 'hello',
        runbookFile: 'hello.runbook.md',
        agent: 'claude-code',
        agentVersion: '2.1.126',
        model: 'claude-sonnet-4-6',
        provider: 'anthropic',
        sandbox: { kind: 'local', id: 'string' },
        startedAt: 'string',
        finishedAt: 'string',
        status: 'succeeded',
        exitCode: 0,
        usage: { input: 3600, output: 68, cacheRead: 500, cacheWrite: 500, reasoning: 0 },
        costUsd: 0.010845,
        turns: 2,
        results: ['hello.md', 'sub/x.txt'],
        primary_files: ['hello.md'],
      },
    );
    assert.deepEqual(progress, [
      'Creating the local sandbox…',
      'Laying out /app and /logs/agent…',
      'Uploading the runbook…',
      'Checking claude-code 2.1.126…',
      'Running claude-code (claude-sonnet-4-6)…',
      'Downloading the results…',
      'Removing the local sandbox…',
    ]);
  });

  it('fills in the parameters, uploads the input files into {{assets_dir}}, and records both and the unfilled', async () => {
    // The stand-in reads its prompt (the last argument) for the folders, as an agent would.
    agent(
      'claude',
      [
        'prompt="${@: -1}"',
        'results=$(grep -o "/[^ ]*/results" <<< "$prompt" | head -n 1)',
        'mkdir -p "$results" && printf "%s" "$prompt" > "$results/prompt.txt"',
        'cp "$(grep -o "/[^ ]*/note.txt" <<< "$prompt" | head -n 1)" "$results/copied.txt"',
      ].join('\n'),
    );
    const note = path.join(scratch, 'note.txt');
    fs.writeFileSync(note, 'an input for the agent\n');
    const text =
      '---\nagent: claude-code\nmodel: claude-sonnet-4-6\n---\nDo {{operation}} on {{assets_dir}}/note.txt (top {{top_n}}); write {{results_dir}}/ .\n';
    const result = planRun({
      text,
      name: 'hello',
      sandbox: 'local',
      settings: { provider: providerSettingsFromEnv({}), versions: DEFAULT_VERSIONS, snapshots: {} },
      keys: { ANTHROPIC_API_KEY: CANARY },
      secrets: {},
      parameters: { operation: 'merge' },
      inputFiles: [{ name: 'note.txt', path: note }],
    });
    assert.ok(result.ok);
    const progress: string[] = [];
    const outcome = await runPlan(result.plan, deps(recordRuns(), { onProgress: (m) => progress.push(m) }));
    assert.equal(outcome.status, 'succeeded', JSON.stringify(outcome.error));
    assert.match(
      read(outcome, 'results/prompt.txt'),
      /^Do merge on \/\S+\/note\.txt \(top \{\{top_n\}\}\); write \/\S+\/results\/ \.\n?$/,
    );
    assert.equal(read(outcome, 'results/copied.txt'), 'an input for the agent\n');
    const r = record(outcome);
    assert.deepEqual([r.parameters, r.unfilled, r.inputFiles], [{ operation: 'merge' }, ['top_n'], ['note.txt']]);
    assert.ok(
      progress.includes('No value for {{top_n}}: the agent reads it as written, as on Jetty.'),
      progress.join('\n'),
    );
    assert.ok(progress.includes('Uploading 1 input file…'));
  });

  it('reads the evaluation as Jetty does: eval, the main output and the required files that did not come home', async () => {
    const report = {
      version: '1.0',
      stages: [
        { name: 'extract', passed: true, message: 'tables found' },
        { name: 'schema', passed: false, message: 'two rows lack a total' },
      ],
      results: { pass: 1, partial: 0, fail: 1 },
      overall_passed: false,
    };
    agent(
      'claude',
      [
        'mkdir -p /app/results',
        'echo "# Summary" > /app/results/summary.md',
        'echo "{}" > /app/results/tables.json',
        `echo '${JSON.stringify(report)}' > /app/results/validation_report.json`,
      ].join('\n'),
    );
    const text = [
      '---',
      'agent: claude-code',
      'model: claude-sonnet-4-6',
      'primary_outputs: [tables.json, tables.xlsx]',
      '---',
      '## REQUIRED OUTPUT FILES',
      '',
      '| File | Description |',
      '|---|---|',
      '| `/app/results/tables.json` | The tables |',
      '| `/app/results/tables.xlsx` | The same, for Excel |',
      '| `/app/results/summary.md` | Summary |',
      '| `/app/results/validation_report.json` | The evaluation |',
      '',
    ].join('\n');
    const progress: string[] = [];
    const outcome = await runPlan(plan(text), deps(recordRuns(), { onProgress: (m) => progress.push(m) }));
    assert.equal(outcome.status, 'succeeded', 'the agent itself finished');
    const evaluation = { overall_passed: false, pass: 1, partial: 0, fail: 1 };
    assert.deepEqual(outcome.eval, evaluation);
    assert.deepEqual(outcome.missingOutputs, ['tables.xlsx']);
    const r = record(outcome);
    assert.deepEqual([r.eval, r.primary_files, r.missingOutputs], [evaluation, ['tables.json'], ['tables.xlsx']]);
    assert.ok(progress.includes('Evaluation: failed · 1 pass · 0 partial · 1 fail.'), progress.join('\n'));
    assert.ok(progress.includes('Required output files that did not come home: tables.xlsx.'));
  });

  it('a report that cannot be read is said, and the run has no evaluation rather than a guessed one', async () => {
    agent('claude', 'mkdir -p /app/results && echo "{not json" > /app/results/validation_report.json');
    const progress: string[] = [];
    const outcome = await runPlan(CLAUDE(), deps(recordRuns(), { onProgress: (m) => progress.push(m) }));
    assert.equal(outcome.eval, undefined);
    assert.equal(record(outcome).eval, undefined);
    assert.ok(
      progress.some(
        (m) => m.startsWith('validation_report.json could not be read (') && m.endsWith('): no evaluation.'),
      ),
      progress.join('\n'),
    );
  });

  it('what comes home is plain data: run.json lists what was left out and which results hold a key', async () => {
    agent(
      'claude',
      [
        `cat '${FIXTURES}/claude-code-2.1.126/write-file.jsonl'`,
        'cd /app/results && echo "# Report" > report.md && echo "key: $ANTHROPIC_API_KEY" > leaked.txt',
        'cp /bin/true tool && chmod 4755 tool && ln -s /etc/shadow shadow',
        "git init -q . && git config core.fsmonitor 'touch /tmp/pwned'",
      ].join('\n'),
    );
    const progress: string[] = [];
    const outcome = await runPlan(CLAUDE(), deps(recordRuns(), { onProgress: (m) => progress.push(m) }));
    assert.equal(outcome.status, 'succeeded', JSON.stringify(outcome.error));
    assert.deepEqual(outcome.results, ['leaked.txt', 'report.md', 'tool']);
    const left = [
      { path: '.git', reason: 'a git repository (git would run its hooks and core.fsmonitor here)' },
      { path: 'shadow', reason: 'a symbolic link' },
    ];
    assert.deepEqual(
      [...outcome.dropped].sort((a, b) => a.path.localeCompare(b.path)),
      left,
    );
    assert.deepEqual(outcome.withSecrets, ['leaked.txt']);
    const r = record(outcome);
    assert.deepEqual(r.secretsInResults, ['leaked.txt']);
    assert.deepEqual(
      [...(r.dropped as typeof left)].sort((a, b) => a.path.localeCompare(b.path)),
      left,
    );
    assert.equal(fs.statSync(path.join(folderOf(outcome), 'results', 'tool')).mode & 0o7777, 0o755);
    assert.ok(progress.some((m) => m.startsWith('Left out of the results: ')));
    assert.ok(
      progress.includes('These results hold a key or secret of this run (left as the agent wrote them): leaked.txt.'),
    );
  });

  it('redacts before it cuts: no part of a key reaches run.json or the error from an agent’s or an install’s long output', async () => {
    // The key straddles where each text is cut: the last 2,000 characters of the last lines kept in a message, and the
    // last 16 KiB of stderr kept for it.
    const around = (cut: number) => `printf '%s' "$(head -c ${cut} /dev/zero | tr '\\0' x)"`;
    agent('claude', `{ printf 'start '; printf '%s' "$ANTHROPIC_API_KEY"; ${around(1990)}; echo; } >&2; exit 1`);
    const failed = await runPlan(CLAUDE(), deps(recordRuns()));
    assert.match(failed.error!.message, /^claude-code exited with code 1: start \*\*\*x/);
    agent('claude', 'exit 0', '2.0.1 (Claude Code)');
    fs.writeFileSync(
      path.join(bin, 'npm'),
      `#!/bin/bash\nprintf 'token %s' "$ANTHROPIC_API_KEY"; ${around(1990)}; echo; exit 1\n`,
      { mode: 0o755 },
    );
    const install = await runPlan(CLAUDE(), deps(recordRuns()));
    assert.match(install.error!.message, /^Installing claude-code/);
    const distinct = CANARY.slice('sk-ant-api03-'.length);
    for (const outcome of [failed, install]) {
      const texts = [JSON.stringify(outcome.error), read(outcome, 'run.json')];
      for (let at = 0; at + 6 <= distinct.length; at++)
        for (const text of texts)
          assert.ok(!text.includes(distinct.slice(at, at + 6)), `no "${distinct.slice(at, at + 6)}"`);
    }
  });

  it('a sandbox whose user can make neither /app nor /logs (no root, no sudo): said, nothing uploaded, the sandbox deleted', async () => {
    agent('claude', 'exit 0');
    const inner = local();
    let uploaded = 0;
    const provider: SandboxProvider = {
      ...inner,
      create: async (request, options) => {
        const sandbox = await inner.create(request, options);
        // The layout step as a sandbox without sudo answers it (plan.ts layoutScript's own message).
        const exec: typeof sandbox.exec = (command, execOptions) =>
          command.startsWith('for dir in ')
            ? Promise.resolve({
                exitCode: 1,
                output:
                  'Cannot create /app/results as user: the sandbox user must be root or have passwordless sudo.\n',
              })
            : sandbox.exec(command, execOptions);
        return Object.assign(Object.create(Object.getPrototypeOf(sandbox) as object) as typeof sandbox, sandbox, {
          exec,
          upload: (...args: Parameters<typeof sandbox.upload>) => (uploaded++, sandbox.upload(...args)),
        });
      },
    };
    const outcome = await runPlan(CLAUDE(), deps(recordRuns(), { provider }));
    assert.equal(outcome.status, 'failed');
    assert.deepEqual(outcome.error, {
      message:
        "Could not create Jetty's folders (/app/results, /app/assets, /app/checks, /logs/agent) in the sandbox:\n" +
        'Cannot create /app/results as user: the sandbox user must be root or have passwordless sudo.',
      nextStep: 'Use a snapshot or image whose user is root or has passwordless sudo.',
      actions: [{ kind: 'show-output' }],
    });
    assert.equal(uploaded, 0, 'nothing was uploaded');
    assert.deepEqual(liveSandboxes(), []);
  });

  it('whoever shows the run throwing (JSON.stringify on 5,000 levels of nesting) never ends the run', async () => {
    const nested = `{"type":"rate_limit_event","d":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    fs.writeFileSync(path.join(scratch, 'nested.jsonl'), `${nested}\n`);
    const lines = fs.readFileSync(path.join(FIXTURES, 'claude-code-2.1.126/write-file.jsonl'), 'utf8');
    fs.writeFileSync(path.join(scratch, 'rest.jsonl'), lines);
    // The rest only once the failure was told: in the same batch, those events would not be shown either.
    agent(
      'claude',
      `cat '${scratch}/nested.jsonl'\nwhile [ ! -e release ]; do sleep 0.02; done\ncat '${scratch}/rest.jsonl'`,
    );
    const shown = recordRuns();
    const throwing = {
      startRun: (info: Parameters<typeof shown.trajectories.startRun>[0]) => {
        const handle = shown.trajectories.startRun(info);
        // What the CLI's --format json did before: JSON.stringify of each event, which overflows the stack here.
        return {
          ...handle,
          append: (batch: Parameters<typeof handle.append>[0]) => (
            batch.forEach((e) => JSON.stringify(e)),
            handle.append(batch)
          ),
        };
      },
    };
    const progress: string[] = [];
    const release = () => fs.writeFileSync(inSandbox('release'), '');
    const onProgress = (m: string) => (progress.push(m), m.startsWith('Some events') && release());
    const outcome = await runPlan(CLAUDE(), deps(shown, { trajectories: throwing, onProgress }));
    assert.equal(outcome.status, 'succeeded', JSON.stringify(outcome.error));
    assert.deepEqual(liveSandboxes(), [], 'the sandbox is gone');
    assert.equal(record(outcome).status, 'succeeded');
    assert.equal(read(outcome, 'trajectory.jsonl').split('\n')[0], nested, 'the saved stream keeps every line');
    assert.ok(
      shown.events.some((e) => e.kind === 'result'),
      'later events are still shown',
    );
    assert.deepEqual(
      progress.filter((m) => m.startsWith('Some events')),
      ['Some events could not be shown (Maximum call stack size exceeded); trajectory.jsonl keeps them all.'],
    );
  });

  it('cancel: stops the agent at once, removes the sandbox, keeps what arrived (the unfinished last line too)', async () => {
    // One write (cat of a file), so the unfinished line has arrived by the time the init event is seen. Not printf:
    // bash line-buffers its stdout, so printf would write the two parts separately and the cancel could beat the second.
    fs.writeFileSync(
      path.join(bin, 'stdout.txt'),
      '{"type":"system","subtype":"init","model":"m","tools":[]}\n{"type":"assistant","unfinished',
    );
    agent('claude', `cat ${JSON.stringify(path.join(bin, 'stdout.txt'))}\nsleep 60`);
    const shown = recordRuns();
    const cancel = new AbortController();
    const running = runPlan(CLAUDE(), deps(shown, { signal: cancel.signal }));
    await shown.seen((e) => e.kind === 'init');
    while (!fs.readdirSync(sandboxes).length) await new Promise((r) => setTimeout(r, 10));
    cancel.abort();
    const outcome = await running;
    assert.equal(outcome.status, 'cancelled');
    assert.equal(
      outcome.error?.message,
      'The run was cancelled; the sandbox was deleted. What the agent printed until then is kept.',
    );
    assert.deepEqual(liveSandboxes(), []);
    assert.equal(
      read(outcome, 'trajectory.jsonl'),
      '{"type":"system","subtype":"init","model":"m","tools":[]}\n{"type":"assistant","unfinished\n',
    );
    assert.equal(record(outcome).status, 'cancelled');
    assert.equal(shown.finished[0]?.status, 'cancelled');
    assert.deepEqual(
      shown.events.map((e) => e.kind),
      ['init', 'unparsed'],
    );
  });

  it('a cancel before the sandbox exists still ends as cancelled with nothing left', async () => {
    agent('claude', 'exit 0');
    const shown = recordRuns();
    const cancel = new AbortController();
    cancel.abort();
    const outcome = await runPlan(CLAUDE(), deps(shown, { signal: cancel.signal }));
    assert.equal(outcome.status, 'cancelled');
    assert.deepEqual(liveSandboxes(), []);
  });

  it('time-out: "timed out", the sandbox removed, the setting named', async () => {
    agent('claude', `echo '{"type":"system","subtype":"init","model":"m","tools":[]}'\nsleep 60`);
    const shown = recordRuns();
    const outcome = await runPlan(CLAUDE(), deps(shown, { timeoutMinutes: 0.01 }));
    assert.equal(outcome.status, 'timed out');
    assert.deepEqual(outcome.error, {
      message:
        'The run took longer than 0.6 s and was stopped; the sandbox was deleted. What the agent printed until then is kept.',
      nextStep: 'Allow more time with the setting jetty.run.timeoutMinutes, or make the runbook do less.',
      actions: [{ kind: 'open-setting', setting: 'jetty.run.timeoutMinutes' }],
    });
    assert.deepEqual(liveSandboxes(), []);
    assert.equal(record(outcome).status, 'timed out');
    assert.equal(read(outcome, 'trajectory.jsonl'), '{"type":"system","subtype":"init","model":"m","tools":[]}\n');
  });

  it('a time limit too long for a timer (or none at all) never stops a run at once', async () => {
    for (const timeoutMinutes of [2 ** 31 / 60_000, 1e9, Infinity]) {
      agent('claude', `cat '${FIXTURES}/claude-code-2.1.126/write-file.jsonl'`);
      const outcome = await runPlan(CLAUDE(), deps(recordRuns(), { timeoutMinutes }));
      assert.equal(outcome.status, 'succeeded', `${timeoutMinutes}: ${JSON.stringify(outcome.error)}`);
    }
  });

  it('run.json that cannot be written at the end: said in the outcome, and trajectory.jsonl is closed all the same', async () => {
    agent('claude', `cat '${FIXTURES}/claude-code-2.1.126/write-file.jsonl'`);
    const shown = recordRuns();
    let folder = '';
    // A folder where run.json's temporary file goes (root ignores file modes, so no chmod): the last write fails.
    const onProgress = (m: string) =>
      m.startsWith('Removing') && fs.mkdirSync(path.join(folder, `run.json.${process.pid}.tmp`));
    const outcome = await runPlan(CLAUDE(), deps(shown, { onStarted: (run) => (folder = run.folder), onProgress }));
    assert.match(outcome.error?.message ?? '', /^The run failed unexpectedly: could not write the run folder .*EISDIR/);
    const open = fs.readdirSync('/proc/self/fd').map((fd) => {
      try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    });
    assert.ok(!open.includes(path.join(folder, 'trajectory.jsonl')), 'no file handle left open on trajectory.jsonl');
  });

  it('an install that fails shows the tail of its output and the version setting', async () => {
    agent('claude', 'exit 0', '2.0.1 (Claude Code)');
    fs.writeFileSync(
      path.join(bin, 'npm'),
      '#!/bin/bash\necho "npm error code ENOTFOUND"\necho "npm error network request to https://registry.npmjs.org failed"\nexit 1\n',
      { mode: 0o755 },
    );
    const outcome = await runPlan(CLAUDE(), deps(recordRuns()));
    assert.equal(outcome.status, 'failed');
    assert.deepEqual(outcome.error, {
      message:
        'Installing claude-code 2.1.126 (@anthropic-ai/claude-code) in the sandbox failed (exit code 1):\n' +
        'Installing claude-code 2.1.126 (found: 2.0.1)\nnpm error code ENOTFOUND\nnpm error network request to https://registry.npmjs.org failed',
      nextStep:
        'Check that 2.1.126 is a published version (the setting jetty.claudeCode.version) and that the sandbox can reach the npm registry.',
      actions: [{ kind: 'open-setting', setting: 'jetty.claudeCode.version' }],
    });
    assert.deepEqual(liveSandboxes(), []);
  });

  it('the model provider rejecting the key, from claude-code’s own events: which key, and "Set key"', async () => {
    agent('claude', `cat '${FIXTURES}/claude-code-2.1.126/invalid-key.jsonl'; exit 1`);
    const outcome = await runPlan(CLAUDE(), deps(recordRuns()));
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.exitCode, 1);
    assert.deepEqual(outcome.error, {
      message: 'Anthropic rejected ANTHROPIC_API_KEY: Invalid API key · Fix external API key',
      nextStep: 'Set ANTHROPIC_API_KEY with "Jetty: Set Provider Key" and run the runbook again.',
      actions: [{ kind: 'set-key', key: 'ANTHROPIC_API_KEY' }],
    });
  });

  it('the model provider rejecting the key, from codex’s own events', async () => {
    agent('codex', `cat '${FIXTURES}/codex-0.169.0/invalid-key.jsonl'; exit 1`);
    const outcome = await runPlan(CODEX(), deps(recordRuns(), { words: CLI_WORDS }));
    assert.equal(outcome.error?.message.split(': unexpected status')[0], 'OpenAI rejected OPENAI_API_KEY');
    assert.equal(outcome.error?.nextStep, 'Set OPENAI_API_KEY in the environment and run again.');
  });

  it('an agent that fails without events: its exit code and the end of its stderr', async () => {
    agent(
      'claude',
      'echo "Error: --dangerously-skip-permissions cannot be used with root/sudo privileges" >&2; exit 1',
    );
    const outcome = await runPlan(CLAUDE(), deps(recordRuns()));
    assert.equal(
      outcome.error?.message,
      'claude-code exited with code 1: Error: --dangerously-skip-permissions cannot be used with root/sudo privileges',
    );
  });

  it('a sandbox that cannot be created: the service’s reason, the Daytona key action, no run left half-done', async () => {
    const provider: SandboxProvider = {
      ...local(),
      kind: 'daytona',
      create: () =>
        Promise.reject(
          new SandboxError(
            'auth',
            'Daytona rejected the API key (HTTP 401) while trying to create the sandbox.',
            'Set a valid Daytona API key.',
          ),
        ),
    };
    const shown = recordRuns();
    const outcome = await runPlan({ ...CLAUDE(), sandbox: 'daytona' }, deps(shown, { provider }));
    assert.deepEqual(outcome.error, {
      message: 'Daytona rejected the API key (HTTP 401) while trying to create the sandbox.',
      nextStep: 'Set a valid Daytona API key (DAYTONA_API_KEY) and run again.',
      actions: [{ kind: 'set-key', key: 'DAYTONA_API_KEY' }],
    });
    assert.equal(record(outcome).status, 'failed');
    assert.deepEqual(shown.finished, [
      {
        status: 'failed',
        error:
          'Daytona rejected the API key (HTTP 401) while trying to create the sandbox. Set a valid Daytona API key (DAYTONA_API_KEY) and run again.',
      },
    ]);
  });

  it('a sandbox that cannot be deleted is reported apart from the run’s own outcome', async () => {
    agent('claude', `cat '${FIXTURES}/claude-code-2.1.126/thinking.jsonl'`);
    const inner = local();
    const provider: SandboxProvider = {
      ...inner,
      create: async (request, options) => {
        const sandbox = await inner.create(request, options);
        return Object.assign(Object.create(Object.getPrototypeOf(sandbox) as object) as typeof sandbox, sandbox, {
          delete: () =>
            Promise.reject(
              new SandboxError(
                'delete-failed',
                `Could not delete the Daytona sandbox ${sandbox.id}: HTTP 500.`,
                'Delete it in the Daytona dashboard, or run "Clean Up Sandboxes" later.',
              ),
            ),
        });
      },
    };
    const outcome = await runPlan({ ...CLAUDE(), sandbox: 'daytona' }, deps(recordRuns(), { provider }));
    assert.equal(outcome.status, 'succeeded');
    assert.deepEqual(outcome.cleanupError?.actions, [{ kind: 'clean-up-sandboxes' }]);
    assert.match(outcome.cleanupError!.message, /^Could not delete the Daytona sandbox jetty-sandbox-/);
  });
});
