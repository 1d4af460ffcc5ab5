// Scripted scenarios for the real agent CLIs against the local mock model servers, and the functions that run one:
// install the CLI (agent-clis.ts), start the mock with its script, run the CLI with stdin closed, its own empty HOME
// and the environment the notes prescribe (notes/agent-clis.md, notes/more-agent-clis.md), and say what it did.
// test/fixtures/record.ts records fixtures with it; end-to-end tests run the same scenarios live.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { geminiSettings } from '../../src/core/agents/gemini-cli';
import { HERMES_ACP_DRIVER, hermesConfig } from '../../src/core/agents/hermes';
import { OPENCODE_CONFIG_DEPENDENCY_FILES, opencodeConfig } from '../../src/core/agents/opencode';
import { filesUnder } from '../canary';
import { ensureAgentCli } from './agent-clis';
import { startAnthropicMock, type AnthropicStep } from './anthropic';
import { startBedrockMock, type BedrockStep } from './bedrock';
import { startChatCompletionsMock, type ChatStep } from './chat-completions';
import { startGeminiMock, type GeminiStep } from './gemini';
import { codexConfigToml, startOpenAIMock, type OpenAIStep } from './openai';
import type { MockServer, RecordedRequest } from './mock-server';
import { pidsWith } from './processes';

// Working folders are fixed paths (/tmp/jetty-record/...), recreated for each scenario, so the paths the CLIs print
// are the same on every machine. One scenario at a time per machine: they share those folders.
export const WORK = '/tmp/jetty-record/work';
const HOME = '/tmp/jetty-record/home';
/** TMPDIR: gemini writes its error reports there. */
const TMP = '/tmp/jetty-record/tmp';
/** hermes' driver, the prompt file it reads, and a `hermes` on PATH for it. */
const HERMES_FILES = '/tmp/jetty-record/hermes';
// codex refuses to create its helper-binary aliases under /tmp; its home goes elsewhere.
const CODEX_HOME = '/var/tmp/jetty-record/codex-home';
const CLAUDE_MODEL = 'claude-sonnet-4-6';

export interface Scenario<Step> {
  name: string;
  what: string;
  prompt: string;
  script: Step[];
  args?: string[];
  model?: string;
  /** Files to create in the working folder first. */
  files?: Record<string, string>;
  /**
   * Stop the run as a cancelled run is stopped: SIGKILL to the CLI's process group once a process whose command line
   * holds this text runs. The run then reports the command's processes that outlived it (`survivors`).
   */
  cancel?: string;
}

export const CLAUDE_SCENARIOS: Scenario<AnthropicStep>[] = [
  {
    name: 'tool-call',
    what: 'thinking, text and a successful Bash call in one model turn, then the answer',
    prompt: 'Say hello from the shell.',
    script: [
      {
        blocks: [
          { type: 'thinking', thinking: 'The user wants a greeting from the shell. I will run echo.' },
          { type: 'text', text: 'I will run a command.' },
          {
            type: 'tool_use',
            name: 'Bash',
            input: { command: 'echo hello from the shell', description: 'Print a greeting' },
          },
        ],
      },
      { blocks: [{ type: 'text', text: 'The shell said: hello from the shell.' }] },
    ],
  },
  {
    name: 'failing-tool',
    what: 'a Bash command that exits 1, then a Read of a missing file, then the answer',
    prompt: 'Show notes.txt.',
    script: [
      {
        blocks: [
          { type: 'tool_use', name: 'Bash', input: { command: 'cat notes.txt', description: 'Show the notes' } },
        ],
      },
      { blocks: [{ type: 'tool_use', name: 'Read', input: { file_path: `${WORK}/notes.txt` } }] },
      { blocks: [{ type: 'text', text: 'There is no notes.txt in this folder.' }] },
    ],
  },
  {
    name: 'thinking',
    what: 'two thinking blocks and a text block in one assistant message, no tools',
    prompt: 'What is 6 times 7?',
    script: [
      {
        blocks: [
          { type: 'thinking', thinking: 'Six times seven. Let me count: 7, 14, 21, 28, 35, 42.' },
          { type: 'thinking', thinking: 'So the answer is 42.' },
          { type: 'text', text: '6 × 7 = 42.' },
        ],
      },
    ],
  },
  {
    name: 'write-file',
    what: 'a Write and an Edit that succeed (claude changes files through tools)',
    prompt: 'Write a report.',
    args: ['--allowedTools', 'Bash,Read,Write,Edit'],
    script: [
      {
        blocks: [
          {
            type: 'tool_use',
            name: 'Write',
            input: { file_path: `${WORK}/report.md`, content: '# Report\n\nAll good.\n' },
          },
        ],
      },
      {
        blocks: [
          {
            type: 'tool_use',
            name: 'Edit',
            input: { file_path: `${WORK}/report.md`, old_string: 'All good.', new_string: 'All very good.' },
          },
        ],
      },
      { blocks: [{ type: 'text', text: 'Wrote report.md.' }] },
    ],
  },
  {
    name: 'invalid-key',
    what: 'the API answers 401 (with x-should-retry: false, so the CLI gives up at once)',
    prompt: 'Say hello.',
    script: [{ status: 401, type: 'authentication_error', message: 'invalid x-api-key', times: Infinity }],
  },
  {
    name: 'api-retry',
    what: 'the API is overloaded (529) once, the CLI retries, then succeeds',
    prompt: 'Say hello.',
    script: [
      { status: 529, type: 'overloaded_error', message: 'Overloaded' },
      { blocks: [{ type: 'text', text: 'Hello after a retry.' }] },
    ],
  },
  {
    name: 'max-turns',
    what: '--max-turns 1 and the model wants a second turn',
    prompt: 'List the files.',
    args: ['--max-turns', '1'],
    script: [
      { blocks: [{ type: 'tool_use', name: 'Bash', input: { command: 'ls', description: 'List files' } }] },
      { blocks: [{ type: 'text', text: 'Never reached.' }] },
    ],
  },
  {
    name: 'permission-denied',
    what: 'the model asks for Write, which is not in --allowedTools: the CLI denies it',
    prompt: 'Write a file.',
    args: ['--allowedTools', 'Bash'],
    script: [
      { blocks: [{ type: 'tool_use', name: 'Write', input: { file_path: `${WORK}/out.txt`, content: 'hi\n' } }] },
      { blocks: [{ type: 'text', text: 'I was not allowed to write out.txt.' }] },
    ],
  },
];

export const CODEX_SCENARIOS: Scenario<OpenAIStep>[] = [
  {
    name: 'shell-command',
    what: 'reasoning, a shell command that succeeds, then the answer (gpt-5.4: also the unknown-model warning)',
    prompt: 'Say hello from the shell.',
    script: [
      {
        items: [
          { type: 'reasoning', summary: 'The user wants a greeting from the shell. I will run echo.' },
          { type: 'function_call', name: 'exec_command', arguments: { cmd: 'echo hello from the shell' } },
        ],
      },
      { items: [{ type: 'message', text: 'The shell said: hello from the shell.' }] },
    ],
  },
  {
    name: 'failing-command',
    what: 'a shell command that exits 1, then the answer',
    prompt: 'Show notes.txt.',
    script: [
      { items: [{ type: 'function_call', name: 'exec_command', arguments: { cmd: 'cat notes.txt' } }] },
      { items: [{ type: 'message', text: 'There is no notes.txt in this folder.' }] },
    ],
  },
  {
    name: 'file-change',
    what: 'apply_patch adds a file and updates another (gpt-5.5 has the apply_patch tool)',
    prompt: 'Write a report.',
    model: 'gpt-5.5',
    files: { 'README.md': 'Old line.\n' },
    script: [
      {
        items: [
          {
            type: 'custom_tool_call',
            name: 'apply_patch',
            input: [
              '*** Begin Patch',
              '*** Add File: report.md',
              '+# Report',
              '+All good.',
              '*** Update File: README.md',
              '@@',
              '-Old line.',
              '+New line.',
              '*** End Patch',
              '',
            ].join('\n'),
          },
        ],
      },
      { items: [{ type: 'message', text: 'Wrote report.md and updated README.md.' }] },
    ],
  },
  {
    name: 'invalid-key',
    what: 'the API answers 401 to every try',
    prompt: 'Say hello.',
    script: [
      { status: 401, message: 'Incorrect API key provided: sk-mock.', code: 'invalid_api_key', times: Infinity },
    ],
  },
  {
    name: 'unknown-model',
    what: "gpt-5.4 is not in codex 0.169's model list: the warning item, then a plain answer",
    prompt: 'Say hello.',
    script: [{ items: [{ type: 'message', text: 'Hello.' }] }],
  },
];

export interface ScenarioRun {
  args: string[];
  stdout: Buffer;
  stderr: string;
  exitCode: number | null;
  /** The signal that ended the CLI (SIGKILL for a cancelled scenario). */
  signal: NodeJS.Signals | null;
  requests: RecordedRequest[];
  /** A cancelled scenario: how many processes of the shell command outlived the SIGKILL of the CLI's process group. */
  survivors?: number;
  /** Where the key the CLI was given turned up: `stdout`, `stderr`, or a file under the scenario's folders. */
  keySeenIn: string[];
}

export interface RunOptions {
  /** Called with each stdout chunk as it arrives (a live reader). */
  onStdout?: (chunk: Buffer) => void;
  /** The API key the CLI is given (default: a fixed mock key). */
  apiKey?: string;
}

const DEFAULT_KEYS = {
  anthropic: 'sk-ant-mock-key',
  openai: 'sk-mock',
  gemini: 'AIzaSy-mock-gemini-key-0000',
  openrouter: 'sk-or-v1-mock-openrouter-key-0000',
  bedrock: 'ABSKmock-bedrock-key-0000',
};

interface CliRun {
  binary: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  key: string;
  mock: MockServer;
  cancel?: string;
  onStdout?: (chunk: Buffer) => void;
}

/** Runs the CLI in its own process group with stdin closed; stops its mock afterwards. */
async function runCli({ binary, args, env, key, mock, cancel, onStdout }: CliRun): Promise<ScenarioRun> {
  try {
    const ran = await new Promise<Omit<ScenarioRun, 'requests' | 'args' | 'keySeenIn'>>((resolve, reject) => {
      // stdin closed: codex and opencode block on an open stdin, claude waits 3 s for it.
      const child = spawn(binary, args, { cwd: WORK, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      const out: Buffer[] = [];
      let stderr = '';
      const killGroup = () => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      };
      const timer = setTimeout(killGroup, 180_000);
      const watch = cancel
        ? setInterval(() => {
            if (pidsWith(cancel).length) {
              clearInterval(watch);
              killGroup();
            }
          }, 50)
        : undefined;
      child.stdout.on('data', (chunk: Buffer) => {
        out.push(chunk);
        onStdout?.(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (exitCode, signal) => {
        clearTimeout(timer);
        if (watch) clearInterval(watch);
        resolve({ stdout: Buffer.concat(out), stderr, exitCode, signal });
      });
    });
    let survivors: number | undefined;
    if (cancel) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const left = pidsWith(cancel);
      survivors = left.length;
      for (const pid of left) process.kill(pid, 'SIGKILL');
    }
    const keySeenIn = [
      ...(ran.stdout.includes(key) ? ['stdout'] : []),
      ...(ran.stderr.includes(key) ? ['stderr'] : []),
      ...[WORK, HOME, TMP].flatMap((dir) =>
        filesUnder(dir)
          .filter((f) => f.text.includes(key))
          .map((f) => f.file),
      ),
    ];
    return { args, ...ran, requests: mock.requests, ...(cancel ? { survivors } : {}), keySeenIn };
  } finally {
    await mock.close();
  }
}

function freshFolders(files: Record<string, string> = {}): void {
  for (const dir of [WORK, HOME, CODEX_HOME, TMP, HERMES_FILES]) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(WORK, name), text);
}

function writeFile(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

export async function runClaudeScenario(
  version: string,
  scenario: Scenario<AnthropicStep>,
  options: RunOptions = {},
): Promise<ScenarioRun> {
  const binary = await ensureAgentCli('claude-code', version);
  freshFolders(scenario.files);
  const mock = await startAnthropicMock(scenario.script);
  const args = [
    '-p',
    scenario.prompt,
    '--output-format',
    'stream-json',
    '--verbose',
    '--model',
    scenario.model ?? CLAUDE_MODEL,
    ...(scenario.args ?? ['--allowedTools', 'Bash,Read']),
  ];
  const key = options.apiKey ?? DEFAULT_KEYS.anthropic;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME,
    ANTHROPIC_BASE_URL: mock.url,
    ANTHROPIC_API_KEY: key,
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    IS_SANDBOX: '1',
  };
  return runCli({ binary, args, env, key, mock, onStdout: options.onStdout });
}

export async function runCodexScenario(
  version: string,
  scenario: Scenario<OpenAIStep>,
  options: RunOptions = {},
): Promise<ScenarioRun> {
  const binary = await ensureAgentCli('codex', version);
  freshFolders(scenario.files);
  const mock = await startOpenAIMock(scenario.script);
  writeFileSync(path.join(CODEX_HOME, 'config.toml'), codexConfigToml(mock.url));
  const args = [
    'exec',
    '--dangerously-bypass-approvals-and-sandbox',
    '--skip-git-repo-check',
    '--model',
    scenario.model ?? 'gpt-5.4',
    '--json',
    '--',
    scenario.prompt,
  ];
  const key = options.apiKey ?? DEFAULT_KEYS.openai;
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME, CODEX_HOME, OPENAI_API_KEY: key };
  return runCli({ binary, args, env, key, mock, onStdout: options.onStdout });
}

/** A command that runs long enough to be cancelled in, with an argument no other process on the machine has. */
const CANCEL_COMMAND = 'sleep 31.4159';

export const GEMINI_SCENARIOS: Scenario<GeminiStep>[] = [
  {
    name: 'shell-command',
    what: 'a thought, text and a shell command that succeeds, then the answer',
    prompt: 'Say hello from the shell.',
    script: [
      {
        parts: [
          { text: 'The user wants a greeting from the shell. I will run echo.', thought: true },
          { text: 'I will run a command.' },
          { functionCall: { name: 'run_shell_command', args: { command: 'echo hello from the shell' } } },
        ],
      },
      { parts: [{ text: 'The shell said: hello from the shell. Done.' }] },
    ],
  },
  {
    name: 'failing-command',
    what: 'a shell command that exits 3, then the answer',
    prompt: 'Run the check.',
    script: [
      { parts: [{ functionCall: { name: 'run_shell_command', args: { command: 'echo checking; exit 3' } } }] },
      { parts: [{ text: 'Done.' }] },
    ],
  },
  {
    name: 'tool-error',
    what: 'read_file of a file that does not exist (a tool that fails), then the answer',
    prompt: 'Show notes.txt.',
    script: [
      { parts: [{ functionCall: { name: 'read_file', args: { file_path: `${WORK}/notes.txt` } } }] },
      { parts: [{ text: 'There is no notes.txt in this folder.' }] },
    ],
  },
  {
    name: 'invalid-key',
    what: 'the API answers 401 to every request',
    prompt: 'Say hello.',
    script: [{ status: 401, message: 'API key not valid. Please pass a valid API key.', times: Infinity }],
  },
  {
    name: 'cancel',
    what: 'cancelled (SIGKILL of the process group) while its shell command runs',
    prompt: 'Wait a little.',
    cancel: CANCEL_COMMAND,
    script: [
      { parts: [{ functionCall: { name: 'run_shell_command', args: { command: CANCEL_COMMAND } } }] },
      { parts: [{ text: 'Never reached.' }] },
    ],
  },
];

export async function runGeminiScenario(
  version: string,
  scenario: Scenario<GeminiStep>,
  options: RunOptions = {},
): Promise<ScenarioRun> {
  const binary = await ensureAgentCli('gemini-cli', version);
  freshFolders(scenario.files);
  writeFile(path.join(HOME, '.gemini', 'settings.json'), geminiSettings());
  const mock = await startGeminiMock(scenario.script);
  const args = [
    '-p',
    scenario.prompt,
    '--output-format',
    'stream-json',
    '--yolo',
    '--skip-trust',
    '-m',
    scenario.model ?? 'gemini-2.5-flash',
  ];
  const key = options.apiKey ?? DEFAULT_KEYS.gemini;
  const env = { PATH: process.env.PATH, HOME, TMPDIR: TMP, GEMINI_API_KEY: key, GOOGLE_GEMINI_BASE_URL: mock.url };
  return runCli({ binary, args, env, key, mock, cancel: scenario.cancel, onStdout: options.onStdout });
}

export const OPENCODE_SCENARIOS: Scenario<ChatStep>[] = [
  {
    name: 'shell-command',
    what: 'reasoning, text and a bash command that succeeds, then the answer (OpenRouter)',
    prompt: 'Say hello from the shell.',
    script: [
      {
        reasoning: 'The user wants a greeting from the shell. I will run echo.',
        content: 'I will run a command.',
        toolCalls: [
          { name: 'bash', arguments: { command: 'echo hello from the shell', description: 'Print a greeting' } },
        ],
      },
      { content: 'The shell said: hello from the shell. Done.' },
    ],
  },
  {
    name: 'failing-command',
    what: 'a bash command that exits 3, then the answer',
    prompt: 'Run the check.',
    script: [
      { toolCalls: [{ name: 'bash', arguments: { command: 'echo checking; exit 3', description: 'Run the check' } }] },
      { content: 'Done.' },
    ],
  },
  {
    name: 'tool-error',
    what: 'read of a file that does not exist (a tool that fails), then the answer',
    prompt: 'Show notes.txt.',
    script: [
      { toolCalls: [{ name: 'read', arguments: { filePath: `${WORK}/notes.txt` } }] },
      { content: 'There is no notes.txt in this folder.' },
    ],
  },
  {
    name: 'invalid-key',
    what: 'the API answers 401 to every request',
    prompt: 'Say hello.',
    script: [{ status: 401, message: 'No auth credentials found', code: 401, times: Infinity }],
  },
  {
    name: 'cancel',
    what: 'cancelled (SIGKILL of the process group) while its bash command runs',
    prompt: 'Wait a little.',
    cancel: CANCEL_COMMAND,
    script: [
      { toolCalls: [{ name: 'bash', arguments: { command: CANCEL_COMMAND, description: 'Wait' } }] },
      { content: 'Never reached.' },
    ],
  },
];

export async function runOpencodeScenario(
  version: string,
  scenario: Scenario<ChatStep>,
  options: RunOptions = {},
): Promise<ScenarioRun> {
  const binary = await ensureAgentCli('opencode', version);
  freshFolders(scenario.files);
  const mock = await startChatCompletionsMock(scenario.script);
  const configDir = path.join(HOME, '.config', 'opencode');
  writeFile(path.join(configDir, 'opencode.json'), opencodeConfig({ openrouter: { baseURL: `${mock.url}/api/v1` } }));
  for (const file of OPENCODE_CONFIG_DEPENDENCY_FILES) writeFile(path.join(configDir, file.path), file.content);
  const args = [
    'run',
    '--format',
    'json',
    '--auto',
    '--thinking',
    '--title',
    'Jetty runbook',
    '-m',
    `openrouter/${scenario.model ?? 'anthropic/claude-sonnet-4.6'}`,
    scenario.prompt,
  ];
  const key = options.apiKey ?? DEFAULT_KEYS.openrouter;
  const env = {
    PATH: process.env.PATH,
    HOME,
    TMPDIR: TMP,
    OPENROUTER_API_KEY: key,
    OPENCODE_DISABLE_MODELS_FETCH: '1',
  };
  return runCli({ binary, args, env, key, mock, cancel: scenario.cancel, onStdout: options.onStdout });
}

/** A hermes scenario talks to Bedrock (boto3 Converse, the default) or to OpenRouter (Chat Completions). */
export type HermesScenario =
  (Scenario<BedrockStep> & { provider?: 'bedrock' }) | (Scenario<ChatStep> & { provider: 'openrouter' });

export const HERMES_SCENARIOS: HermesScenario[] = [
  {
    name: 'shell-command',
    what: 'reasoning, text and a terminal command that succeeds, then the answer (Bedrock Converse, zai.glm-5)',
    prompt: 'Say hello from the shell.',
    script: [
      {
        blocks: [
          { type: 'thinking', thinking: 'The user wants a greeting from the shell. I will run echo.' },
          { type: 'text', text: 'I will run a command.' },
          { type: 'tool_use', name: 'terminal', input: { command: 'echo hello from the shell' } },
        ],
      },
      { blocks: [{ type: 'text', text: 'The shell said: hello from the shell. Done.' }] },
    ],
  },
  {
    name: 'failing-command',
    what: 'a terminal command that exits 3, then the answer',
    prompt: 'Run the check.',
    script: [
      { blocks: [{ type: 'tool_use', name: 'terminal', input: { command: 'echo checking; exit 3' } }] },
      { blocks: [{ type: 'text', text: 'Done.' }] },
    ],
  },
  {
    name: 'tool-error',
    what: 'read_file of a file that does not exist (a tool that fails), then the answer',
    prompt: 'Show notes.txt.',
    script: [
      { blocks: [{ type: 'tool_use', name: 'read_file', input: { path: `${WORK}/notes.txt` } }] },
      { blocks: [{ type: 'text', text: 'There is no notes.txt in this folder.' }] },
    ],
  },
  {
    name: 'invalid-key',
    what: 'Bedrock refuses the bearer token (403) on every request',
    prompt: 'Say hello.',
    script: [
      {
        status: 403,
        type: 'AccessDeniedException',
        message: 'Authentication failed: Please make sure your API Key is valid.',
        times: Infinity,
      },
    ],
  },
  {
    name: 'invalid-key-openrouter',
    what: 'OpenRouter answers 401 to every request',
    provider: 'openrouter',
    model: 'anthropic/claude-sonnet-4.6',
    prompt: 'Say hello.',
    script: [{ status: 401, message: 'No auth credentials found', code: 401, times: Infinity }],
  },
  {
    name: 'cancel',
    what: 'cancelled (SIGKILL of the process group) while its terminal command runs',
    prompt: 'Wait a little.',
    cancel: CANCEL_COMMAND,
    script: [
      { blocks: [{ type: 'tool_use', name: 'terminal', input: { command: CANCEL_COMMAND } }] },
      { blocks: [{ type: 'text', text: 'Never reached.' }] },
    ],
  },
];

export async function runHermesScenario(
  version: string,
  scenario: HermesScenario,
  options: RunOptions = {},
): Promise<ScenarioRun> {
  const hermes = await ensureAgentCli('hermes', version);
  freshFolders(scenario.files);
  const driver = path.join(HERMES_FILES, 'acp-driver.py');
  const prompt = path.join(HERMES_FILES, 'prompt.md');
  writeFile(driver, HERMES_ACP_DRIVER);
  writeFile(prompt, scenario.prompt);
  mkdirSync(path.join(HERMES_FILES, 'bin'));
  symlinkSync(hermes, path.join(HERMES_FILES, 'bin', 'hermes'));
  const env: NodeJS.ProcessEnv = { PATH: `${HERMES_FILES}/bin:${process.env.PATH}`, HOME, TMPDIR: TMP };
  let mock: MockServer;
  let key: string;
  if (scenario.provider === 'openrouter') {
    mock = await startChatCompletionsMock(scenario.script);
    key = options.apiKey ?? DEFAULT_KEYS.openrouter;
    const providers = {
      jetty_openrouter: {
        base_url: `${mock.url}/api/v1`,
        key_env: 'OPENROUTER_API_KEY',
        transport: 'chat_completions' as const,
      },
    };
    writeFile(
      path.join(HOME, '.hermes', 'config.yaml'),
      hermesConfig({ provider: 'jetty_openrouter', model: scenario.model!, providers }),
    );
    Object.assign(env, { OPENROUTER_API_KEY: key });
  } else {
    mock = await startBedrockMock(scenario.script);
    key = options.apiKey ?? DEFAULT_KEYS.bedrock;
    writeFile(
      path.join(HOME, '.hermes', 'config.yaml'),
      hermesConfig({ provider: 'bedrock', model: scenario.model ?? 'zai.glm-5' }),
    );
    Object.assign(env, {
      AWS_BEARER_TOKEN_BEDROCK: key,
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: mock.url,
      AWS_ENDPOINT_URL_BEDROCK: mock.url,
    });
  }
  const args = [driver, prompt, '--', 'hermes', 'acp'];
  return runCli({ binary: 'python3', args, env, key, mock, cancel: scenario.cancel, onStdout: options.onStdout });
}
