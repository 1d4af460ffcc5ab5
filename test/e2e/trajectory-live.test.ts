// The live path end to end: the real claude-code (pinned and newest 2.1.x), codex, gemini-cli, opencode and hermes
// (through our ACP driver) CLIs run scripted scenarios against the local mock model servers, and their stdout goes
// chunk by chunk, as it arrives, through the trajectory reader with a redactor as its line transform. The events must
// match the committed fixture's sequence and what the whole stdout gives read afterwards (live and saved agree).
import assert from 'node:assert/strict';
import { AGENT_CLI_VERSIONS } from '../fakes/agent-clis';
import {
  CLAUDE_SCENARIOS,
  CODEX_SCENARIOS,
  GEMINI_SCENARIOS,
  HERMES_SCENARIOS,
  OPENCODE_SCENARIOS,
  runClaudeScenario,
  runCodexScenario,
  runGeminiScenario,
  runHermesScenario,
  runOpencodeScenario,
  type ScenarioRun,
} from '../fakes/agent-scenarios';
import { Redactor } from '../../src/core/redact';
import type { TrajectoryEvent } from '../../src/core/trajectory/events';
import { createTrajectoryReader } from '../../src/core/trajectory/reader';
import { kinds, SEQUENCES } from '../unit/core/trajectory/sequences';
import { readAll } from '../unit/core/trajectory/helpers';
import { TRAJECTORY_FORMATS } from '../../src/core/agents';

const KEY = `sk-ant-api03-live-${Date.now().toString(36)}-abcdefghij`;

async function live(
  run: (onStdout: (chunk: Buffer) => void) => Promise<ScenarioRun>,
): Promise<{ events: TrajectoryEvent[]; chunks: number; run: ScenarioRun }> {
  const events: TrajectoryEvent[] = [];
  let chunks = 0;
  const reader = createTrajectoryReader({
    formats: TRAJECTORY_FORMATS,
    transformLine: new Redactor([KEY]).redact,
    onEvents: (batch) => events.push(...batch),
  });
  const result = await run((chunk) => {
    chunks++;
    reader.push(chunk);
  });
  reader.end();
  return { events, chunks, run: result };
}

const withoutLines = (events: TrajectoryEvent[]) => events.map((e) => ({ ...e, line: 0 }));

describe('trajectories from the live CLIs', function () {
  this.timeout(240_000);

  for (const version of [AGENT_CLI_VERSIONS.claudeCodePinned, AGENT_CLI_VERSIONS.claudeCodeNewest]) {
    for (const name of ['tool-call', 'invalid-key', 'permission-denied']) {
      it(`claude-code ${version}: ${name}`, async () => {
        const scenario = CLAUDE_SCENARIOS.find((s) => s.name === name)!;
        const { events, run } = await live((onStdout) =>
          runClaudeScenario(version, scenario, { onStdout, apiKey: KEY }),
        );
        assert.equal(kinds(events), SEQUENCES[`claude-code-${version}/${name}`], run.stderr);
        assert.deepEqual(
          withoutLines(events),
          withoutLines(readAll(run.stdout, undefined, { transformLine: new Redactor([KEY]).redact }).events),
        );
        assert.ok(!JSON.stringify(events).includes(KEY));
      });
    }
  }

  for (const name of ['shell-command', 'failing-command', 'file-change']) {
    it(`codex ${AGENT_CLI_VERSIONS.codex}: ${name}`, async () => {
      const scenario = CODEX_SCENARIOS.find((s) => s.name === name)!;
      const { events, run } = await live((onStdout) =>
        runCodexScenario(AGENT_CLI_VERSIONS.codex, scenario, { onStdout }),
      );
      assert.equal(kinds(events), SEQUENCES[`codex-${AGENT_CLI_VERSIONS.codex}/${name}`], run.stderr);
      assert.equal(run.exitCode, 0);
    });
  }

  const others: {
    agent: string;
    version: string;
    names: string[];
    run: (name: string, onStdout: (chunk: Buffer) => void) => Promise<ScenarioRun>;
  }[] = [
    {
      agent: 'gemini-cli',
      version: AGENT_CLI_VERSIONS.geminiCli,
      names: ['shell-command', 'failing-command', 'invalid-key'],
      run: (name, onStdout) =>
        runGeminiScenario(
          AGENT_CLI_VERSIONS.geminiCli,
          GEMINI_SCENARIOS.find((s) => s.name === name)!,
          {
            onStdout,
            apiKey: KEY,
          },
        ),
    },
    {
      agent: 'opencode',
      version: AGENT_CLI_VERSIONS.opencode,
      names: ['shell-command', 'failing-command', 'invalid-key'],
      run: (name, onStdout) =>
        runOpencodeScenario(
          AGENT_CLI_VERSIONS.opencode,
          OPENCODE_SCENARIOS.find((s) => s.name === name)!,
          {
            onStdout,
            apiKey: KEY,
          },
        ),
    },
    {
      agent: 'hermes',
      version: AGENT_CLI_VERSIONS.hermes,
      names: ['shell-command', 'failing-command', 'invalid-key'],
      run: (name, onStdout) =>
        runHermesScenario(
          AGENT_CLI_VERSIONS.hermes,
          HERMES_SCENARIOS.find((s) => s.name === name)!,
          {
            onStdout,
            apiKey: KEY,
          },
        ),
    },
  ];
  for (const { agent, version, names, run } of others) {
    for (const name of names) {
      it(`${agent} ${version}: ${name}`, async () => {
        const { events, run: result } = await live((onStdout) => run(name, onStdout));
        assert.equal(kinds(events), SEQUENCES[`${agent}-${version}/${name}`], result.stderr);
        assert.deepEqual(
          withoutLines(events),
          withoutLines(readAll(result.stdout, undefined, { transformLine: new Redactor([KEY]).redact }).events),
        );
        assert.ok(!JSON.stringify(events).includes(KEY));
      });
    }
  }
});
