// Whole runs of gemini-cli 0.61.0, opencode 1.18.33 and hermes 0.19.0, the real CLIs, through the plan and the runner,
// in a Daytona sandbox (the real @daytonaio/sdk against the fake Daytona server) and in the local sandbox, against the
// mock model servers, each reached through the base-URL setting of its route: what a user of these agents gets from a
// run, a rejected key and a cancel. A canary key appears nowhere the run wrote or printed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI_WORDS } from '../../src/cli/words';
import { DEFAULT_VERSIONS } from '../../src/core/agents';
import type { AgentId } from '../../src/core/catalog';
import type { KeyName } from '../../src/core/keys';
import { providerSettingsFromEnv } from '../../src/core/keys';
import { createDaytonaProvider } from '../../src/core/run/daytona';
import { createLocalProvider } from '../../src/core/run/local';
import { planRun, type RunPlan } from '../../src/core/run/plan';
import { runPlan, type RunOutcome } from '../../src/core/run/runner';
import type { SandboxProvider } from '../../src/core/run/sandbox';
import type { CommandCompletedEvent, TrajectoryEvent } from '../../src/core/trajectory/events';
import { canary, filesUnder } from '../canary';
import { AGENT_CLI_VERSIONS, ensureAgentCli, repoRoot } from '../fakes/agent-clis';
import { bedrockAuth, startBedrockMock } from '../fakes/bedrock';
import { startChatCompletionsMock } from '../fakes/chat-completions';
import type { FakeDaytona } from '../fakes/daytona';
import { startGeminiMock } from '../fakes/gemini';
import type { MockServer, RecordedRequest } from '../fakes/mock-server';
import { pidsWith, startedWith } from '../fakes/processes';
import { agentCliFolders, linkAgentClis, recordRuns, startDaytonaWithClis } from '../fakes/world';

type Script = 'work' | 'reject' | 'cancel';

/** One agent: its runbook, its key, and its mock provider speaking what the CLI speaks. */
interface AgentCase {
  agent: Extract<AgentId, 'gemini-cli' | 'opencode' | 'hermes'>;
  runbook: string;
  key: KeyName;
  provider: string;
  /** The mock with a script for `kind`, and the settings' environment that points the route at it. */
  start(kind: Script, command: (n: number) => string): Promise<{ server: MockServer; env: NodeJS.ProcessEnv }>;
  /** The key as the request carried it. */
  sentKey(request: RecordedRequest): string | undefined;
  /** The CLI's exit code when the provider rejects the key. */
  rejectedExit: number;
  /** Whether the CLI says a command's exit code (gemini-cli does not). */
  exitCodes: boolean;
  /** Whether its commands see the provider's key (hermes takes provider keys out of its commands' environment). */
  keyInCommands: boolean;
}

const WRITE = (key: string) => `echo "Hello from the sandbox" > /app/results/hello.md && echo "key=$${key}"`;
const FAIL = 'echo checking; exit 3';
const SLEEP = (id: number) => `sleep 31.${id}`;

const CASES: AgentCase[] = [
  {
    agent: 'gemini-cli',
    runbook:
      '---\nagent: gemini-cli\nmodel: gemini-2.5-flash\nmodel_provider: google\n---\n- Write {{results_dir}}/hello.md.\n',
    key: 'GEMINI_API_KEY',
    provider: 'Google AI Studio',
    async start(kind, command) {
      const shell = (c: string) => ({ parts: [{ functionCall: { name: 'run_shell_command', args: { command: c } } }] });
      const server = await startGeminiMock(
        kind === 'reject'
          ? [{ status: 401, message: 'API key not valid. Please pass a valid API key.', times: Infinity }]
          : kind === 'cancel'
            ? [shell(command(0))]
            : [shell(command(1)), shell(command(2)), { parts: [{ text: 'Wrote results/hello.md.' }] }],
      );
      return { server, env: { GOOGLE_GEMINI_BASE_URL: server.url } };
    },
    sentKey: (r) => r.headers['x-goog-api-key'] as string | undefined,
    rejectedExit: 145,
    exitCodes: false,
    keyInCommands: true,
  },
  {
    agent: 'opencode',
    runbook:
      '---\nagent: opencode\nmodel: anthropic/claude-sonnet-4.6\nmodel_provider: openrouter\n---\n- Write {{results_dir}}/hello.md.\n',
    key: 'OPENROUTER_API_KEY',
    provider: 'OpenRouter',
    async start(kind, command) {
      const bash = (c: string) => ({ toolCalls: [{ name: 'bash', arguments: { command: c, description: 'Run it' } }] });
      const server = await startChatCompletionsMock(
        kind === 'reject'
          ? [{ status: 401, message: 'No auth credentials found', code: 401, times: Infinity }]
          : kind === 'cancel'
            ? [bash(command(0))]
            : [bash(command(1)), bash(command(2)), { content: 'Wrote results/hello.md.' }],
      );
      return { server, env: { OPENROUTER_BASE_URL: `${server.url}/api/v1` } };
    },
    sentKey: (r) => r.headers.authorization?.replace(/^Bearer /, ''),
    rejectedExit: 1,
    exitCodes: true,
    keyInCommands: true,
  },
  {
    agent: 'hermes',
    runbook: '---\nagent: hermes\nmodel: zai.glm-5\nmodel_provider: bedrock\n---\n- Write {{results_dir}}/hello.md.\n',
    key: 'AWS_BEARER_TOKEN_BEDROCK',
    provider: 'AWS Bedrock',
    async start(kind, command) {
      const terminal = (c: string) => ({
        blocks: [{ type: 'tool_use' as const, name: 'terminal', input: { command: c } }],
      });
      const server = await startBedrockMock(
        kind === 'reject'
          ? [
              {
                status: 403,
                type: 'AccessDeniedException',
                message: 'Authentication failed: Please make sure your API Key is valid.',
                times: Infinity,
              },
            ]
          : kind === 'cancel'
            ? [terminal(command(0))]
            : [
                terminal(command(1)),
                terminal(command(2)),
                { blocks: [{ type: 'text', text: 'Wrote results/hello.md.' }] },
              ],
      );
      return { server, env: { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: server.url } };
    },
    sentKey: (r) => {
      const auth = bedrockAuth(r);
      return auth.scheme === 'bearer' ? auth.token : undefined;
    },
    rejectedExit: 0,
    exitCodes: true,
    keyInCommands: false,
  },
];

describe('gemini-cli, opencode and hermes runs (real CLIs, Daytona and local sandboxes)', function () {
  this.timeout(240_000);
  const KEY = canary('E2E-MORE');
  let fake: FakeDaytona;
  let bin: string;
  let scratch: string;
  let cancels = 0;
  const servers: MockServer[] = [];

  before(async function () {
    this.timeout(15 * 60_000); // the first run installs the CLIs into .cache/
    await ensureAgentCli('gemini-cli', AGENT_CLI_VERSIONS.geminiCli);
    await ensureAgentCli('opencode', AGENT_CLI_VERSIONS.opencode);
    await ensureAgentCli('hermes', AGENT_CLI_VERSIONS.hermes);
    bin = linkAgentClis(repoRoot(), ['gemini-cli', 'opencode', 'hermes']);
    fake = await startDaytonaWithClis(repoRoot(), bin, { apiKey: 'dtn_e2e_more_agents' });
  });
  beforeEach(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'run-more-'));
    fs.mkdirSync(path.join(scratch, 'sandboxes'));
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    assert.deepEqual(fake.reset(), [], 'no Daytona sandbox is left alive');
    assert.deepEqual(fs.readdirSync(path.join(scratch, 'sandboxes')), [], 'no local sandbox folder is left');
    fs.rmSync(scratch, { recursive: true, force: true });
  });
  after(async () => {
    await fake?.close();
    if (bin) fs.rmSync(bin, { recursive: true, force: true });
  });

  function plan(c: AgentCase, sandbox: 'daytona' | 'local', env: NodeJS.ProcessEnv): RunPlan {
    const result = planRun({
      text: c.runbook,
      name: 'hello',
      sandbox,
      settings: { provider: providerSettingsFromEnv(env), versions: DEFAULT_VERSIONS, snapshots: {} },
      keys: { [c.key]: KEY, DAYTONA_API_KEY: fake.apiKey },
      secrets: {},
    });
    assert.ok(result.ok, JSON.stringify(!result.ok && result.blocked));
    return result.plan;
  }

  function run(p: RunPlan, signal?: AbortSignal) {
    const shown = recordRuns();
    const { printed } = shown;
    const provider: SandboxProvider =
      p.sandbox === 'daytona'
        ? createDaytonaProvider({ apiKey: fake.apiKey, apiUrl: fake.apiUrl, target: 'us', pollIntervalMs: 100 })
        : // The installed CLIs, read-only inside, first on its PATH: as on a machine that has them.
          createLocalProvider({
            root: path.join(scratch, 'sandboxes'),
            readOnly: agentCliFolders(repoRoot(), bin),
            path: [bin],
            cliCache: path.join(scratch, 'cli-cache'),
          });
    const outcome = runPlan(p, {
      provider,
      trajectories: shown.trajectories,
      redact: (text) => text.replaceAll(KEY, '***'),
      runsRoot: path.join(scratch, '.jetty', 'runs'),
      timeoutMinutes: 3,
      words: CLI_WORDS,
      ...(signal ? { signal } : {}),
    }).finally(() => provider.dispose());
    return { outcome, shown, printed };
  }

  async function mock(c: AgentCase, kind: Script, command: (n: number) => string) {
    const started = await c.start(kind, command);
    servers.push(started.server);
    return started;
  }

  function assertNoKey(outcome: RunOutcome, printed: string[], events: TrajectoryEvent[]): void {
    const places = [
      ...filesUnder(outcome.folder!).map((f) => [f.file, f.text] as const),
      ['printed', printed.join('\n')] as const,
      ['events', JSON.stringify(events)] as const,
      ['outcome', JSON.stringify(outcome)] as const,
    ];
    for (const [where, text] of places) assert.ok(!text.includes(KEY), `the key appears in ${where}`);
  }

  for (const sandbox of ['daytona', 'local'] as const) {
    for (const c of CASES) {
      describe(`${c.agent} in the ${sandbox} sandbox`, () => {
        it('a shell command and one that exits 3: shown as exec/output, results downloaded, the key nowhere', async () => {
          const { server, env } = await mock(c, 'work', (n) => (n === 1 ? WRITE(c.key) : FAIL));
          const { outcome, shown, printed } = run(plan(c, sandbox, env));
          const done = await outcome;
          assert.equal(done.status, 'succeeded', `${JSON.stringify(done.error)}\n${printed.join('\n')}`);
          assert.equal(done.exitCode, 0);
          assert.deepEqual(done.results, ['hello.md']);
          assert.equal(
            fs.readFileSync(path.join(done.folder!, 'results', 'hello.md'), 'utf8'),
            'Hello from the sandbox\n',
          );
          const commands = shown.events.filter((e): e is CommandCompletedEvent => e.kind === 'command-completed');
          assert.deepEqual(
            commands.map((e) => [e.command, e.exitCode, e.output.trim()]),
            [
              [WRITE(c.key), c.exitCodes ? 0 : null, c.keyInCommands ? 'key=***' : 'key='],
              [FAIL, c.exitCodes ? 3 : null, 'checking'],
            ],
          );
          assert.ok(printed.includes(`[agent] exec: ${WRITE(c.key)}`), printed.join('\n'));
          assert.ok(printed.includes(`[agent] output (exit ${c.exitCodes ? '3' : '?, success'}): checking`));
          assert.ok(printed.includes('[agent] Wrote results/hello.md.'), printed.join('\n'));
          assert.ok(server.requests.length > 0 && server.requests.every((r) => c.sentKey(r) === KEY || !c.sentKey(r)));
          assert.ok(
            server.requests.some((r) => c.sentKey(r) === KEY),
            'the CLI sent the key to the mock',
          );
          const record = JSON.parse(fs.readFileSync(path.join(done.folder!, 'run.json'), 'utf8')) as { agent: string };
          assert.equal(record.agent, c.agent);
          assertNoKey(done, printed, shown.events);
        });

        it(`a rejected key reads as "${c.provider} rejected ${c.key}", though the CLI exits ${c.rejectedExit}`, async () => {
          const { env } = await mock(c, 'reject', () => '');
          const { outcome, shown, printed } = run(plan(c, sandbox, env));
          const done = await outcome;
          assert.equal(done.status, 'failed');
          assert.equal(done.exitCode, c.rejectedExit);
          assert.match(done.error!.message, new RegExp(`^${c.provider} rejected ${c.key}`));
          assert.deepEqual(done.error!.actions, [{ kind: 'set-key', key: c.key }]);
          assertNoKey(done, printed, shown.events);
        });

        it('a cancel while its command runs: cancelled, the sandbox gone, nothing of the command left running', async () => {
          const id = 1000 + ++cancels;
          const { env } = await mock(c, 'cancel', () => SLEEP(id));
          const cancel = new AbortController();
          const { outcome } = run(plan(c, sandbox, env), cancel.signal);
          // Once the command itself runs (opencode shows a command only when it is done, gemini-cli and hermes at once).
          assert.ok((await startedWith(SLEEP(id))).length > 0, 'the command runs');
          cancel.abort();
          const done = await outcome;
          assert.equal(done.status, 'cancelled');
          for (let i = 0; i < 100 && pidsWith(SLEEP(id)).length; i++) await new Promise((r) => setTimeout(r, 50));
          assert.deepEqual(pidsWith(SLEEP(id)), [], 'no process of the command outlives the run');
        });
      });
    }
  }
});
