// The parsers against what the real CLIs printed (test/fixtures/trajectories, recorded by test/fixtures/record.ts):
// exact event sequences, links between calls and results, totals equal to the CLI's own figures, the same events
// whatever the chunking, and the exact Jetty log lines.
import assert from 'node:assert/strict';
import type { AgentId } from '../../../../src/core/catalog';
import type { ResultEvent, TrajectoryEvent, Usage } from '../../../../src/core/trajectory/events';
import { formatEvent } from '../../../../src/core/trajectory/format';
import { createSummaryBuilder } from '../../../../src/core/trajectory/summary';
import { fixture, fixtures, random, readAll } from './helpers';
import { kinds, SEQUENCES } from './sequences';

// The CLIs' own lines, read back loosely to compare figures.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Raw = Record<string, any>;

function find<K extends TrajectoryEvent['kind']>(
  events: TrajectoryEvent[],
  kind: K,
): Extract<TrajectoryEvent, { kind: K }>[] {
  return events.filter((e): e is Extract<TrajectoryEvent, { kind: K }> => e.kind === kind);
}

function resultOf(events: TrajectoryEvent[]): ResultEvent {
  const results = find(events, 'result');
  assert.equal(results.length, 1, 'exactly one result');
  return results[0]!;
}

/** hermes exits 0 when its API calls fail: these runs failed, and their events say so (the exit code does not). */
const EXIT_ZERO_YET_FAILED = ['hermes-0.19.0/invalid-key', 'hermes-0.19.0/invalid-key-openrouter'];

/** Each CLI's own figures for a run, from its raw lines, against the parser's result. */
const TOTALS: Record<AgentId, (raw: Raw[], result: ResultEvent, summed: Usage) => void> = {
  'claude-code': (raw, result, summed) => {
    const cli = raw.find((o) => o.type === 'result')!;
    const u = cli.usage;
    assert.deepEqual(result.usage, {
      input: u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens,
      output: u.output_tokens,
      cacheRead: u.cache_read_input_tokens,
      cacheWrite: u.cache_creation_input_tokens,
      reasoning: 0,
    });
    assert.equal(result.costUsd, cli.total_cost_usd);
    assert.equal(result.turns, cli.num_turns);
    assert.equal(result.durationMs, cli.duration_ms);
    assert.equal(result.source, 'cli');
    // The early usage snapshots on assistant lines are not counted: the summary's totals are the result's.
    assert.deepEqual(summed, result.usage);
  },
  codex: (raw, result) => {
    const turns = raw.filter((o) => o.type === 'turn.completed').map((o) => o.usage);
    const sum = (k: string) => turns.reduce((a, u) => a + u[k], 0);
    assert.deepEqual(result.usage, {
      input: sum('input_tokens'),
      output: sum('output_tokens'),
      cacheRead: sum('cached_input_tokens'),
      cacheWrite: sum('cache_write_input_tokens'),
      reasoning: sum('reasoning_output_tokens'),
    });
    assert.equal(result.costUsd, undefined, 'codex reports no cost');
    assert.equal(result.turns, raw.filter((o) => o.type === 'turn.started').length);
    assert.equal(result.source, 'summed');
  },
  'gemini-cli': (raw, result) => {
    const cli = raw.find((o) => o.type === 'result');
    if (!cli) return assert.deepEqual([result.source, result.subtype], ['summed', 'incomplete']);
    const stats = cli.stats;
    // input_tokens counts the cached ones (input_tokens = cached + input).
    assert.equal(stats.input_tokens, stats.cached + stats.input);
    assert.deepEqual(result.usage, {
      input: stats.input_tokens,
      output: stats.output_tokens,
      cacheRead: stats.cached,
      cacheWrite: 0,
      reasoning: 0,
    });
    assert.equal(result.durationMs, stats.duration_ms);
    assert.equal(result.costUsd, undefined, 'gemini-cli reports no cost');
    assert.equal(result.source, 'cli');
  },
  opencode: (raw, result) => {
    const steps = raw.filter((o) => o.type === 'step_finish').map((o) => o.part);
    const sum = (pick: (tokens: Raw) => number) => steps.reduce((a, p) => a + pick(p.tokens), 0);
    // opencode's total is input + output + reasoning + cache reads and writes, each counted once.
    for (const p of steps)
      assert.equal(p.tokens.total, p.tokens.input + p.tokens.output + p.tokens.reasoning + p.tokens.cache.read);
    assert.deepEqual(result.usage, {
      input: sum((t) => t.input + t.cache.read + t.cache.write),
      output: sum((t) => t.output + t.reasoning),
      cacheRead: sum((t) => t.cache.read),
      cacheWrite: sum((t) => t.cache.write),
      reasoning: sum((t) => t.reasoning),
    });
    const cost = steps.reduce((a, p) => a + p.cost, 0);
    assert.equal(result.costUsd, steps.length ? Math.round(cost * 1e10) / 1e10 : undefined);
    assert.equal(result.turns, raw.filter((o) => o.type === 'step_start').length);
    assert.equal(result.source, 'summed');
  },
  hermes: (raw, result) => {
    const answer = raw.find((o) => typeof o.result?.stopReason === 'string');
    if (!answer) return assert.deepEqual([result.source, result.subtype], ['summed', 'incomplete']);
    const u = answer.result.usage ?? {};
    assert.deepEqual(result.usage, {
      input: u.inputTokens ?? 0,
      output: u.outputTokens ?? 0,
      cacheRead: u.cachedReadTokens ?? 0,
      cacheWrite: 0,
      reasoning: u.thoughtTokens ?? 0,
    });
    assert.equal(result.costUsd, undefined, 'hermes reports no cost through ACP');
    assert.equal(result.source, 'cli');
  },
};

describe('trajectory fixtures from the real CLIs', () => {
  it('every recorded fixture has an expected sequence (and every expected sequence a fixture)', () => {
    assert.deepEqual(
      fixtures()
        .map((f) => f.name)
        .sort(),
      Object.keys(SEQUENCES).sort(),
    );
  });

  for (const f of fixtures()) {
    describe(f.name, () => {
      const whole = readAll(f.bytes);

      it('gives the exact event sequence, with the format detected from its first lines', () => {
        assert.equal(kinds(whole.events), SEQUENCES[f.name]);
        assert.equal(whole.format, f.cli);
        // Only the start of the first line: nothing tells the format, so it ends undecided (unknown) and the cut line
        // is kept as it came, as an unparsed line.
        const cut = f.bytes.subarray(0, Math.floor(f.bytes.indexOf(0x0a) / 2));
        const start = readAll(cut);
        assert.equal(start.format, 'unknown');
        assert.deepEqual(start.events, [{ kind: 'unparsed', line: 1, text: cut.toString('utf8'), reason: 'not-json' }]);
      });

      it('gives identical events whatever the chunk sizes (1 byte, random, whole)', () => {
        assert.deepEqual(readAll(f.bytes, () => 1).events, whole.events);
        const rnd = random(f.bytes.length);
        for (let round = 0; round < 5; round++)
          assert.deepEqual(readAll(f.bytes, () => 1 + Math.floor(rnd() * 97)).events, whole.events);
      });

      it('accounts for every line: each non-blank line gives at least one event', () => {
        const lineCount = f.bytes
          .toString('utf8')
          .split('\n')
          .filter((l) => l.trim()).length;
        const covered = new Set(whole.events.map((e) => e.line));
        for (let n = 1; n <= lineCount; n++) assert.ok(covered.has(n), `line ${n} has an event`);
      });

      it("reports the run's outcome as the CLI's exit code does (hermes: as its events do)", () => {
        const failed = f.meta.exitCode !== 0 || EXIT_ZERO_YET_FAILED.includes(f.name);
        assert.equal(resultOf(whole.events).status, failed ? 'failed' : 'succeeded');
      });

      it("has totals equal to the CLI's own figures", () => {
        const raw = f.bytes
          .toString('utf8')
          .split('\n')
          .filter((l) => l.trim())
          .map((l) => JSON.parse(l) as Raw);
        const result = resultOf(whole.events);
        const summary = createSummaryBuilder();
        summary.add(whole.events);
        TOTALS[f.cli](raw, result, summary.summary.usage);
        assert.equal(summary.summary.status, result.status);
        assert.equal(summary.summary.costUsd, result.costUsd);
      });
    });
  }
});

describe('claude-code specifics', () => {
  for (const version of ['2.1.126', '2.1.330']) {
    it(`${version}: groups a turn's blocks by message id; its Bash call is a command, completed by its result`, () => {
      const { events } = readAll(fixture(`claude-code-${version}/tool-call`).bytes);
      const [thinking] = find(events, 'thinking');
      const texts = find(events, 'text');
      const [started] = find(events, 'command-started');
      const [completed] = find(events, 'command-completed');
      assert.equal(thinking!.text, 'The user wants a greeting from the shell. I will run echo.');
      assert.equal(thinking!.messageId, 'msg_mock_01');
      assert.equal(texts[0]!.messageId, 'msg_mock_01');
      assert.equal(started!.messageId, 'msg_mock_01');
      assert.equal(texts[1]!.messageId, 'msg_mock_02');
      assert.deepEqual(
        { id: started!.id, command: started!.command },
        { id: 'toolu_mock_01', command: 'echo hello from the shell' },
      );
      assert.deepEqual(
        { ...completed!, line: 0 },
        {
          kind: 'command-completed',
          line: 0,
          id: 'toolu_mock_01',
          command: 'echo hello from the shell',
          output: 'hello from the shell',
          exitCode: 0,
          status: 'completed',
        },
      );
      assert.deepEqual(find(events, 'tool-call'), [], 'no other tool was called');
      const [init] = find(events, 'init');
      assert.equal(init!.version, version);
      assert.equal(init!.model, 'claude-sonnet-4-6');
      assert.ok(init!.tools.includes('Bash'));
    });

    it(`${version}: a failing Bash command completes with the exit code its result names; another tool's failure is a tool result with the error flag`, () => {
      const { events } = readAll(fixture(`claude-code-${version}/failing-tool`).bytes);
      const [command] = find(events, 'command-completed');
      assert.deepEqual(
        [command!.command, command!.exitCode, command!.status, command!.output],
        ['cat notes.txt', 1, 'failed', 'Exit code 1\ncat: notes.txt: No such file or directory'],
      );
      assert.deepEqual(
        find(events, 'tool-result').map((r) => [r.name, r.isError]),
        [['Read', true]],
      );
    });

    it(`${version}: an invalid key is a fatal error with its reason, and a failed result`, () => {
      const { events } = readAll(fixture(`claude-code-${version}/invalid-key`).bytes);
      const [error] = find(events, 'error');
      assert.deepEqual(
        { ...error, line: 0 },
        {
          kind: 'error',
          line: 0,
          message: 'Invalid API key · Fix external API key',
          reason: 'authentication_failed',
          fatal: true,
        },
      );
      const result = resultOf(events);
      assert.equal(result.status, 'failed');
      assert.equal(result.error, 'Invalid API key · Fix external API key');
    });

    it(`${version}: max turns ends as a failed result with the CLI's reason`, () => {
      const result = resultOf(readAll(fixture(`claude-code-${version}/max-turns`).bytes).events);
      assert.equal(result.subtype, 'error_max_turns');
      assert.equal(result.status, 'failed');
      assert.equal(result.error, 'Reached maximum number of turns (1)');
    });

    it(`${version}: a denied permission is an error result of the tool and listed on the run's result`, () => {
      const { events } = readAll(fixture(`claude-code-${version}/permission-denied`).bytes);
      const [toolResult] = find(events, 'tool-result');
      assert.equal(toolResult!.isError, true);
      assert.match(toolResult!.output, /requested permissions to write/);
      assert.deepEqual(resultOf(events).permissionDenials, [
        { tool: 'Write', id: 'toolu_mock_01', input: { file_path: '/tmp/jetty-record/work/out.txt', content: 'hi\n' } },
      ]);
    });

    it(`${version}: an API retry is a retry event with attempt, limit, delay and status`, () => {
      const [retry] = find(readAll(fixture(`claude-code-${version}/api-retry`).bytes).events, 'retry');
      assert.equal(retry!.attempt, 1);
      assert.equal(retry!.maxAttempts, 10);
      assert.equal(retry!.status, 529);
      assert.ok(retry!.delayMs! > 0);
    });
  }
});

describe('codex specifics', () => {
  it('a shell command starts and completes with its output and exit code', () => {
    const { events } = readAll(fixture('codex-0.169.0/shell-command').bytes);
    const [started] = find(events, 'command-started');
    const [completed] = find(events, 'command-completed');
    assert.equal(started!.command, "/bin/bash -lc 'echo hello from the shell'");
    assert.deepEqual(
      { ...completed, line: 0 },
      {
        kind: 'command-completed',
        line: 0,
        id: 'item_2',
        command: "/bin/bash -lc 'echo hello from the shell'",
        output: 'hello from the shell\n',
        exitCode: 0,
        status: 'completed',
      },
    );
    assert.equal(find(events, 'usage')[0]!.usage.reasoning, 16);
  });

  it('a failing command completes with its exit code and the failed status', () => {
    const [completed] = find(readAll(fixture('codex-0.169.0/failing-command').bytes).events, 'command-completed');
    assert.equal(completed!.exitCode, 1);
    assert.equal(completed!.status, 'failed');
  });

  it('a file change lists each path with its kind of change', () => {
    const [change] = find(readAll(fixture('codex-0.169.0/file-change').bytes).events, 'file-change');
    assert.deepEqual(change!.changes, [
      { path: '/tmp/jetty-record/work/README.md', change: 'update' },
      { path: '/tmp/jetty-record/work/report.md', change: 'add' },
    ]);
  });

  it('the unknown-model item error is a warning, not an error, and the run succeeds', () => {
    const { events } = readAll(fixture('codex-0.169.0/unknown-model').bytes);
    assert.match(find(events, 'warning')[0]!.message, /^Model metadata for `gpt-5.4` not found/);
    assert.equal(find(events, 'error').length, 0);
    assert.equal(resultOf(events).status, 'succeeded');
  });

  it('a 401: five retries, then turn.failed as the fatal error', () => {
    const { events } = readAll(fixture('codex-0.169.0/invalid-key').bytes);
    assert.deepEqual(
      find(events, 'retry').map((r) => [r.attempt, r.maxAttempts, r.status]),
      [1, 2, 3, 4, 5].map((n) => [n, 5, 401]),
    );
    assert.deepEqual(
      find(events, 'error').map((e) => e.fatal),
      [false, true],
    );
    const result = resultOf(events);
    assert.equal(result.status, 'failed');
    assert.match(result.error!, /^unexpected status 401 Unauthorized: Incorrect API key provided/);
  });

  it('sums usage over several turns', () => {
    const shell = fixture('codex-0.169.0/shell-command').bytes.toString('utf8');
    const twice = Buffer.from(
      shell +
        shell
          .split('\n')
          .filter((l) => l.includes('turn.'))
          .join('\n') +
        '\n',
    );
    const result = resultOf(readAll(twice).events);
    assert.equal(result.turns, 2);
    assert.equal(result.usage.input, 9800);
    assert.equal(result.usage.output, 146);
  });
});

describe('Jetty log lines', () => {
  const lines = (name: string) => readAll(fixture(name).bytes).events.flatMap((e) => formatEvent(e));

  it("codex shell command, in the seed page's words", () => {
    assert.deepEqual(lines('codex-0.169.0/shell-command'), [
      '[agent] started: session 01a1ffcb-c3ec-73a0-b099-5bfd11c6ec7f',
      '[agent] warning: Model metadata for `gpt-5.4` not found. Defaulting to fallback metadata; this can degrade performance and cause issues.',
      '[agent] thinking: The user wants a greeting from the shell. I will run echo.',
      "[agent] exec: /bin/bash -lc 'echo hello from the shell'",
      '[agent] output (exit 0): hello from the shell',
      '[agent] The shell said: hello from the shell.',
      '[agent] turn done — tokens in=4900 out=73',
      '[agent] done — 1 turn, tokens in=4900 out=73',
    ]);
  });

  it('codex failing command and file change', () => {
    assert.ok(
      lines('codex-0.169.0/failing-command').includes(
        '[agent] output (exit 1): cat: notes.txt: No such file or directory',
      ),
    );
    assert.ok(
      lines('codex-0.169.0/file-change').includes(
        '[agent] file change: update /tmp/jetty-record/work/README.md, add /tmp/jetty-record/work/report.md',
      ),
    );
  });

  it('codex 401', () => {
    const url =
      'unexpected status 401 Unauthorized: Incorrect API key provided: sk-mock., url: http://127.0.0.1:40329/v1/responses';
    assert.deepEqual(lines('codex-0.169.0/invalid-key').slice(2), [
      ...[1, 2, 3, 4, 5].map((n) => `[agent] retry ${n}/5: ${url}`),
      `[agent] error: ${url}`,
      `[agent] error: ${url}`,
      `[agent] failed: ${url} — 1 turn, tokens in=0 out=0`,
    ]);
  });

  it("claude-code: its Bash call reads exec/output as every runtime's command does; the final result with its cost", () => {
    assert.deepEqual(lines('claude-code-2.1.126/tool-call'), [
      '[agent] started: model claude-sonnet-4-6, 23 tools, session 9416b170-4cbf-40ec-818b-98cf51a9da5e',
      '[agent] thinking: The user wants a greeting from the shell. I will run echo.',
      '[agent] I will run a command.',
      '[agent] exec: echo hello from the shell',
      '[agent] output (exit 0): hello from the shell',
      '[agent] The shell said: hello from the shell.',
      '[agent] done — 2 turns, 317 ms, tokens in=3600 out=68, cost $0.0108',
    ]);
  });

  it('claude-code errors, failures, retries and warnings', () => {
    assert.deepEqual(lines('claude-code-2.1.126/invalid-key').slice(1), [
      '[agent] error: Invalid API key · Fix external API key (authentication_failed)',
      '[agent] failed: Invalid API key · Fix external API key — 1 turn, 203 ms, tokens in=0 out=0, cost $0.0000',
    ]);
    assert.equal(
      lines('claude-code-2.1.126/max-turns').at(-1),
      '[agent] failed (error_max_turns): Reached maximum number of turns (1) — 2 turns, 241 ms, tokens in=1700 out=21, cost $0.0058',
    );
    assert.deepEqual(lines('claude-code-2.1.126/failing-tool').slice(1, 3), [
      '[agent] exec: cat notes.txt',
      '[agent] output (exit 1): Exit code 1\n        cat: notes.txt: No such file or directory',
    ]);
    assert.equal(lines('claude-code-2.1.126/api-retry')[1], '[agent] retry 1/10 in 601 ms: API error 529 (rate_limit)');
    assert.equal(
      lines('claude-code-2.1.330/permission-denied')[2],
      "[agent] warning: permission denied for Write: Claude requested permissions to write to /tmp/jetty-record/work/out.txt, but you haven't granted it yet.",
    );
  });
});
