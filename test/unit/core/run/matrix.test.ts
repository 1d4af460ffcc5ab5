// The matrix's own logic, without sandboxes: pairs read from the command line (and what is wrong with one), the
// runbook's front-matter set for a pair (its body untouched), the pairs offered for a runbook, running within the limit
// in order, cancelling one (running or waiting) or all, and the worst exit code. The same runs end to end:
// test/e2e/matrix.test.ts.
import assert from 'node:assert/strict';
import {
  MatrixError,
  matrixChoices,
  pairName,
  pairProvider,
  parseMatrix,
  runbookFor,
  runMatrix,
  worstExitCode,
} from '../../../../src/core/run/matrix';

const RUNBOOK = `---
agent: claude-code
# the model Jetty's own runs used
model: claude-sonnet-4-6
model_provider: anthropic
snapshot: python312-uv
---
# Report

Write {{results_dir}}/report.md for {{topic}}.
`;

describe('matrix', () => {
  it('reads agent:model pairs, each once, and says what is wrong with one', () => {
    assert.deepEqual(parseMatrix('claude-code:claude-sonnet-4-6, codex:gpt-5.5,claude-code:claude-sonnet-4-6'), [
      { agent: 'claude-code', model: 'claude-sonnet-4-6' },
      { agent: 'codex', model: 'gpt-5.5' },
    ]);
    assert.deepEqual(parseMatrix('codex:moonshotai/kimi-k2-0905'), [
      { agent: 'codex', model: 'moonshotai/kimi-k2-0905' },
    ]);
    const problem = (spec: string) => {
      try {
        parseMatrix(spec);
      } catch (error) {
        assert.ok(error instanceof MatrixError);
        return error.message;
      }
      assert.fail(`${spec} was taken`);
    };
    assert.equal(problem('gpt-5.5'), '"gpt-5.5" is not agent:model (e.g. claude-code:claude-sonnet-4-6)');
    assert.equal(
      problem('codez:gpt-5.5'),
      `"codez" is not an agent (Jetty's agents are claude-code, codex, gemini-cli, hermes, opencode)`,
    );
    assert.deepEqual(parseMatrix('hermes:deepseek.v3.2,gemini-cli:gemini-2.5-pro'), [
      { agent: 'hermes', model: 'deepseek.v3.2' },
      { agent: 'gemini-cli', model: 'gemini-2.5-pro' },
    ]);
    assert.equal(problem(' , '), 'no agent:model pairs given');
    assert.equal(pairName({ agent: 'codex', model: 'gpt-5.4' }), 'codex:gpt-5.4');
  });

  it("sets the pair's agent, model and provider in the front-matter, comments and body as written", () => {
    assert.equal(
      runbookFor(RUNBOOK, { agent: 'codex', model: 'gpt-5.4' }),
      RUNBOOK.replace('agent: claude-code', 'agent: codex')
        .replace('model: claude-sonnet-4-6', 'model: gpt-5.4')
        .replace('model_provider: anthropic', 'model_provider: openai'),
    );
    const noProvider = RUNBOOK.replace('model_provider: anthropic\n', '');
    assert.match(
      runbookFor(noProvider, { agent: 'claude-code', model: 'claude-haiku-4-5' })!,
      /model: claude-haiku-4-5\n[^]*model_provider: anthropic\n/,
    );
    assert.equal(
      runbookFor('---\n{agent: codex}\n---\nGo.\n', { agent: 'claude-code', model: 'claude-haiku-4-5' }),
      undefined,
      'flow style cannot be edited safely',
    );
  });

  it("runs a pair on the provider the catalog documents for it, else the runbook's when the agent can use it", () => {
    assert.equal(
      pairProvider({ agent: 'claude-code', model: 'anthropic/claude-sonnet-4.6' }, 'anthropic'),
      'openrouter',
    );
    assert.equal(pairProvider({ agent: 'codex', model: 'some/new-model' }, 'openrouter'), 'openrouter');
    assert.equal(pairProvider({ agent: 'codex', model: 'some/new-model' }, 'anthropic'), 'openai');
  });

  it("offers the runbook's own pair first, then the catalog's models each agent runs, none that lint would refuse", () => {
    const choices = matrixChoices(RUNBOOK);
    assert.deepEqual(choices[0], {
      pair: { agent: 'claude-code', model: 'claude-sonnet-4-6' },
      own: true,
      why: "the runbook's own",
    });
    const names = choices.map((c) => pairName(c.pair));
    for (const pair of [
      'claude-code:claude-haiku-4-5',
      'claude-code:us.anthropic.claude-sonnet-4-6',
      'codex:gpt-5.5',
      'codex:gpt-5.4',
      'gemini-cli:gemini-2.5-pro',
      'hermes:zai.glm-5',
      'hermes:deepseek.v3.2',
    ])
      assert.ok(names.includes(pair), pair);
    // The same model on the other agents that can run it, each on the provider the catalog documents for it.
    assert.deepEqual(
      choices.filter((c) => c.why.startsWith('the same model')).map((c) => pairName(c.pair)),
      ['hermes:us.anthropic.claude-sonnet-4-6', 'opencode:anthropic/claude-sonnet-4.6'],
    );
    assert.equal(new Set(names).size, names.length, 'each once');
    assert.equal(choices.filter((c) => c.own).length, 1);
  });

  it('runs within the limit, in order, and a run that throws ends as failed', async () => {
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const matrix = runMatrix(5, 2, async (i) => {
      started.push(i);
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      if (i === 3) throw new Error('no sandbox');
      return i * 10;
    });
    const results = await matrix.done;
    assert.deepEqual(started, [0, 1, 2, 3, 4]);
    assert.equal(most, 2);
    assert.deepEqual(
      results.map((r) => [r.index, r.status, r.value]),
      [
        [0, 'done', 0],
        [1, 'done', 10],
        [2, 'done', 20],
        [3, 'failed', undefined],
        [4, 'done', 40],
      ],
    );
    assert.equal((results[3]!.error as Error).message, 'no sandbox');
  });

  it('cancels one: a running run through its signal, a waiting one before it starts; or all', async () => {
    const startedOf: number[] = [];
    const hold = (i: number, signal: AbortSignal) =>
      new Promise<string>((resolve) => {
        startedOf.push(i);
        if (signal.aborted) resolve('stopped');
        signal.addEventListener('abort', () => resolve('stopped'), { once: true });
      });
    const one = runMatrix(3, 1, hold);
    one.cancel(2);
    one.cancel(0);
    const afterOne = await new Promise<void>((resolve) => setTimeout(resolve, 10)).then(() => startedOf.slice());
    assert.deepEqual(afterOne, [0, 1], 'the first stopped, the second took its place');
    assert.equal(one.running, 1);
    one.cancelAll();
    assert.deepEqual(
      (await one.done).map((r) => [r.status, r.value]),
      [
        ['done', 'stopped'],
        ['done', 'stopped'],
        ['cancelled', undefined],
      ],
      'the waiting one never started',
    );
    assert.deepEqual(startedOf, [0, 1]);
    assert.deepEqual(await runMatrix(0, 3, hold).done, []);
  });

  it('the worst exit code: 0 only when every run exited 0', () => {
    assert.equal(worstExitCode([0, 0, 0]), 0);
    assert.equal(worstExitCode([0, 1, 0]), 1);
    assert.equal(worstExitCode([2, 130, 1]), 130);
    assert.equal(worstExitCode([]), 0);
  });
});
