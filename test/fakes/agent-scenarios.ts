// Scripted scenarios for the real agent CLIs against the local mock model servers, and the one function that runs a
// scenario: install the CLI (agent-clis.ts), start the mock with the scenario's script, run the CLI with stdin closed and
// the environment the note prescribes (notes/agent-clis.md), and return its stdout, stderr, exit code and the requests the
// mock received. test/fixtures/record.ts records fixtures with it; end-to-end tests run the same scenarios live.
//
// Working folders are fixed paths (/tmp/jetty-record/...), recreated for each scenario, so the paths the CLIs print are
// the same on every machine. One scenario at a time per machine: they share those folders.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureAgentCli } from './agent-clis';
import { startAnthropicMock, type AnthropicStep } from './anthropic';
import { codexConfigToml, startOpenAIMock, type OpenAIStep } from './openai';
import type { RecordedRequest } from './mock-server';

export const WORK = '/tmp/jetty-record/work';
const HOME = '/tmp/jetty-record/home';
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
  requests: RecordedRequest[];
}

export interface RunOptions {
  /** Called with each stdout chunk as it arrives (a live reader). */
  onStdout?: (chunk: Buffer) => void;
  /** The API key the CLI is given (default: a fixed mock key). */
  apiKey?: string;
}

function runCli(
  binary: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  onStdout?: (chunk: Buffer) => void,
): Promise<Omit<ScenarioRun, 'requests' | 'args'>> {
  return new Promise((resolve, reject) => {
    // stdin closed: codex blocks on an open stdin, claude waits 3 s for it.
    const child = spawn(binary, args, { cwd: WORK, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out.push(chunk);
      onStdout?.(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(out), stderr, exitCode });
    });
  });
}

function freshFolders(files: Record<string, string> = {}): void {
  for (const dir of [WORK, HOME, CODEX_HOME]) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(WORK, name), text);
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
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME,
    ANTHROPIC_BASE_URL: mock.url,
    ANTHROPIC_API_KEY: options.apiKey ?? 'sk-ant-mock-key',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    IS_SANDBOX: '1',
  };
  try {
    return { args, ...(await runCli(binary, args, env, options.onStdout)), requests: mock.requests };
  } finally {
    await mock.close();
  }
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
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME,
    CODEX_HOME,
    OPENAI_API_KEY: options.apiKey ?? 'sk-mock',
  };
  try {
    return { args, ...(await runCli(binary, args, env, options.onStdout)), requests: mock.requests };
  } finally {
    await mock.close();
  }
}
