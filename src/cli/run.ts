// `jetty-runbook run <file> [--sandbox daytona|local] [--format text|json] [--timeout-minutes N]`: the extension's run from
// a terminal or CI, through the same plan and runner. Keys and URLs come from the environment variables the SDK and the
// agent CLIs read themselves (DAYTONA_API_KEY, DAYTONA_API_URL, DAYTONA_TARGET, ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL,
// OPENAI_API_KEY, OPENAI_BASE_URL, OPENROUTER_API_KEY, AWS_BEARER_TOKEN_BEDROCK, AWS_REGION, ...), plus JETTY_* for what
// only this tool has (CLI versions, snapshot mapping). The run's folder goes under ./.jetty/runs/.
//
// Output: text prints the same log lines as the extension's output channel on stdout (progress and errors on stderr);
// json prints one JSON object per event, then one `{"kind":"run",...}` line with the outcome. Exit code: the agent's;
// 2 when the runbook cannot run (usage, lint errors, missing keys); 130 after Ctrl-C, which cancels the run and deletes
// its sandbox (a second Ctrl-C quits at once).
import fs from 'node:fs';
import path from 'node:path';
import { declaredSecrets, keysFromEnv, providerSettingsFromEnv, secretsFromEnv } from '../core/keys';
import { redactedMessage, redactorFromEnv } from '../core/redact';
import { createDaytonaProvider } from '../core/run/daytona';
import { explainBlocked, type RunError } from '../core/run/errors';
import { createLocalProvider } from '../core/run/local';
import { DEFAULT_VERSIONS, planRun, type SandboxKind } from '../core/run/plan';
import { runPlan } from '../core/run/runner';
import type { SandboxProvider } from '../core/run/sandbox';
import { RUNS_FOLDER, runbookName } from '../core/run/runs';
import { frontMatterMapping, parseRunbook } from '../core/runbook/parse';
import { formatEvent, stringifyEvent } from '../core/trajectory/format';
import type { Trajectories } from '../core/trajectory/run';
import type { Subcommand } from './common';

const USAGE = 'usage: jetty-runbook run <file> [--sandbox daytona|local] [--format text|json] [--timeout-minutes N]\n';

interface Options {
  file: string;
  sandbox: SandboxKind;
  format: 'text' | 'json';
  timeoutMinutes: number;
}

function parseArgs(args: string[], env: NodeJS.ProcessEnv): Options | string {
  let file: string | undefined;
  let sandbox = env.JETTY_SANDBOX ?? 'daytona';
  let format = 'text';
  let timeout = env.JETTY_RUN_TIMEOUT_MINUTES ?? '30';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? args[++i];
    if (name === '--sandbox') sandbox = value() ?? '';
    else if (name === '--format') format = value() ?? '';
    else if (name === '--timeout-minutes') timeout = value() ?? '';
    else if (name.startsWith('-')) return `unknown option ${name}`;
    else if (file === undefined) file = arg;
    else return `one runbook at a time (got ${file} and ${arg})`;
  }
  if (!file) return 'which runbook? Give its file.';
  if (sandbox !== 'daytona' && sandbox !== 'local') return `--sandbox is daytona or local, not "${sandbox}"`;
  if (format !== 'text' && format !== 'json') return `--format is text or json, not "${format}"`;
  const timeoutMinutes = Number(timeout);
  if (!(timeoutMinutes > 0)) return `--timeout-minutes is a positive number, not "${timeout}"`;
  return { file, sandbox, format, timeoutMinutes };
}

/** Makes the sandbox provider for the run (tests give their own). */
export type ProviderFactory = (kind: SandboxKind, daytona: { apiKey: string; apiUrl: string; target: string }) => SandboxProvider;

const providerFor: ProviderFactory = (kind, daytona) => (kind === 'daytona' ? createDaytonaProvider(daytona) : createLocalProvider());

const run = async (args: string[], makeProvider: ProviderFactory = providerFor): Promise<number> => {
  const env = process.env;
  const options = parseArgs(args, env);
  if (typeof options === 'string') {
    process.stderr.write(`jetty-runbook run: ${options}\n${USAGE}`);
    return 2;
  }
  let text: string;
  try {
    text = await fs.promises.readFile(options.file, 'utf8');
  } catch (error) {
    process.stderr.write(`jetty-runbook run: cannot read ${options.file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}\n`);
    return 2;
  }

  const front = frontMatterMapping(parseRunbook(text)) ?? {};
  const secretNames = declaredSecrets(front).map((s) => s.env);
  const redactor = redactorFromEnv(env, secretNames);
  const secrets = secretsFromEnv(front, env);
  const json = options.format === 'json';
  const say = (line: string) => process.stderr.write(`${redactor.redact(line)}\n`);
  const fail = (error: RunError) => {
    say(`jetty-runbook run: ${error.message}`);
    say(`  ${error.nextStep}`);
  };

  const planned = planRun({
    text,
    name: runbookName(options.file),
    sandbox: options.sandbox,
    settings: {
      provider: providerSettingsFromEnv(env),
      versions: { 'claude-code': env.JETTY_CLAUDE_CODE_VERSION || DEFAULT_VERSIONS['claude-code'], codex: env.JETTY_CODEX_VERSION || DEFAULT_VERSIONS.codex },
      snapshots: snapshotMapping(env.JETTY_DAYTONA_SNAPSHOTS),
    },
    keys: keysFromEnv(env),
    secrets,
  });
  if (!planned.ok) {
    fail(explainBlocked(planned.blocked, options.file, 'cli'));
    return 2;
  }
  const plan = planned.plan;
  redactor.set('run', plan.secretValues);
  const redact = redactor.redact;

  const settings = providerSettingsFromEnv(env);
  const provider = makeProvider(options.sandbox, { apiKey: env.DAYTONA_API_KEY ?? '', apiUrl: settings.daytonaApiUrl, target: settings.daytonaTarget });

  const cancel = new AbortController();
  let interrupts = 0;
  let sandboxId: string | undefined;
  const onInterrupt = () => {
    if (++interrupts === 1) {
      say('Cancelling: stopping the agent and deleting the sandbox… (Ctrl-C again to quit at once)');
      cancel.abort();
    } else {
      say(`Quit before the sandbox was deleted${sandboxId ? ` (${sandboxId})` : ''}: remove it with "Jetty: Clean Up Sandboxes" or in the Daytona dashboard.`);
      process.exit(130);
    }
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);

  const out = (line: string) => process.stdout.write(`${redact(line)}\n`);
  const trajectories: Trajectories = {
    startRun(info) {
      if (!json) out(`▶ ${info.runbook} (${[info.agent, info.model].filter(Boolean).join(' · ')})`);
      return {
        id: 'cli',
        append(events) {
          for (const event of events) {
            if (json) out(stringifyEvent(event));
            else for (const line of formatEvent(event)) out(line);
          }
        },
        finish(status, error) {
          if (!json) out(`■ ${info.runbook}: ${status}${error ? ` — ${error}` : ''}`);
        },
      };
    },
  };

  try {
    const outcome = await runPlan(plan, {
      provider,
      trajectories,
      redact,
      runsRoot: path.resolve(RUNS_FOLDER),
      runbookFile: path.relative(process.cwd(), path.resolve(options.file)) || options.file,
      timeoutMinutes: options.timeoutMinutes,
      signal: cancel.signal,
      host: 'cli',
      onProgress: (message) => {
        if (!json) say(message);
      },
      onSandbox: (id) => (sandboxId = id),
    });
    if (json) {
      out(JSON.stringify({ kind: 'run', status: outcome.status, exitCode: outcome.exitCode, folder: outcome.folder, results: outcome.results, error: outcome.error, cleanupError: outcome.cleanupError }));
    } else {
      if (outcome.error) fail(outcome.error);
      if (outcome.cleanupError) fail(outcome.cleanupError);
      if (outcome.folder) say(`Run folder: ${path.relative(process.cwd(), outcome.folder)} (${outcome.results.length} result file${outcome.results.length === 1 ? '' : 's'})`);
    }
    if (outcome.status === 'cancelled') return 130;
    if (outcome.exitCode !== undefined) return outcome.exitCode === 0 && outcome.status !== 'succeeded' ? 1 : outcome.exitCode;
    return outcome.status === 'succeeded' ? 0 : 1;
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
    // The run is over and its exit code decided: a client that fails to shut down is said, never the exit code.
    await provider.dispose().catch((error: unknown) => say(`jetty-runbook run: could not close the sandbox client: ${redactedMessage(error, redact)}`));
  }
};

export default run satisfies Subcommand;

function snapshotMapping(raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  try {
    const value: unknown = JSON.parse(raw);
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
    }
  } catch {
    // fall through
  }
  process.stderr.write('jetty-runbook run: JETTY_DAYTONA_SNAPSHOTS is not a JSON object of names; it is ignored.\n');
  return {};
}
