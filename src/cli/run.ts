// `jetty-runbook run <file>`: the extension's run from a terminal or CI, through the same preparation, plan and runner,
// with its keys and settings taken from the environment. The run's folder goes under ./.jetty/runs/.
import fs from 'node:fs';
import path from 'node:path';
import { declaredSecrets } from '../core/keys';
import { keysNeeded } from '../core/run/credentials';
import { redactedMessage, redactorFromEnv } from '../core/redact';
import { explainBlocked, type RunError } from '../core/run/errors';
import type { SandboxKind } from '../core/run/plan';
import { assetName, checkInputFiles, InputError, parseVar, readInputJson } from '../core/run/inputs';
import type { InputFile } from '../core/run/plan';
import {
  MatrixError,
  pairName,
  parseMatrix,
  prepareMatrix,
  runMatrix,
  worstExitCode,
  type MatrixPair,
} from '../core/run/matrix';
import { environmentLookups, prepareRun, type PreparedRun, type RunSources } from '../core/run/prepare';
import { readSettings, SETTING_ENV, SETTINGS, settingsFromEnv } from '../core/settings';
import { runPlan, type RunOutcome } from '../core/run/runner';
import { RUNS_FOLDER, runbookName } from '../core/run/runs';
import type { SandboxProvider } from '../core/run/sandbox';
import { frontMatterMapping, parseRunbook } from '../core/runbook/parse';
import { formatEvent, stringifyEvent } from '../core/trajectory/format';
import type { Trajectories } from '../core/trajectory/trajectories';
import {
  LINT_RULE_OPTIONS,
  LINT_RULE_USAGE,
  UsageError,
  fileProblem,
  lintRulesFrom,
  readCommandLine,
  usageFailed,
  type Subcommand,
} from './common';
import { CLI_WORDS } from './words';
import { describeEval } from '../core/run/evaluation';

const USAGE = `usage: jetty-runbook run <file> [options]
  Runs a runbook with claude-code or codex in a Daytona sandbox (or a bubblewrap sandbox on this machine), streaming
  the agent's events; the run's folder (results/, trajectory.jsonl, run.json) goes under ./.jetty/runs/.
options:
  --sandbox daytona|local   where the agent runs (default: $JETTY_SANDBOX, else daytona); local: a bubblewrap sandbox
                            on this machine (Linux; sudo apt-get install bubblewrap)
  --format text|json        text (default): log lines; json: one JSON object per event, then {"kind":"run",…}
  --timeout-minutes <n>     stop the run after this long (default: $JETTY_RUN_TIMEOUT_MINUTES, else 30)
  --var NAME=VALUE          a value for the runbook's {{NAME}} (repeatable); a parameter given none stays literal
  --input <input.json>      an example's input: its params.vars as --var, its files (relative to it) as --file
  --file <path>             a file for the agent, uploaded into {{assets_dir}} (/app/assets) under its name (repeatable)
  --strict-provider         run only with the runbook's model_provider (default: $JETTY_STRICT_PROVIDER); otherwise,
                            when its key is missing here, another provider of the agent that has one, as Jetty does
  --secret NAME             give the runbook's declared secret read from $NAME (repeatable; also JETTY_SECRETS=A,B):
                            no other variable of this environment reaches the sandbox
  --matrix <agent:model,…>  run it on each agent × model at once, each in its own sandbox, at most
                            $JETTY_RUN_MAX_CONCURRENT (default 3) at a time; lines start with [agent:model]
${LINT_RULE_USAGE}environment:
  keys: DAYTONA_API_KEY, ANTHROPIC_API_KEY, OPENAI_API_KEY, OPENROUTER_API_KEY, AWS_BEARER_TOKEN_BEDROCK,
  GEMINI_API_KEY; a runbook secret from the variable the agent gets it in (its \`env\`, else its name), when granted,
  never from one of those
  settings: ANTHROPIC_BASE_URL, OPENAI_BASE_URL, OPENROUTER_BASE_URL, AWS_REGION, AWS_ENDPOINT_URL_BEDROCK_RUNTIME,
  GOOGLE_GEMINI_BASE_URL, JETTY_GOOGLE_API (gemini or vertex), DAYTONA_API_URL, DAYTONA_TARGET,
  JETTY_CLAUDE_CODE_VERSION, JETTY_CODEX_VERSION, JETTY_GEMINI_CLI_VERSION, JETTY_HERMES_VERSION,
  JETTY_OPENCODE_VERSION, JETTY_DAYTONA_SNAPSHOTS (a JSON object: runbook snapshot → yours);
  what may come home: JETTY_RESULTS_MAX_TOTAL_MEGABYTES (512), JETTY_RESULTS_MAX_FILE_MEGABYTES (100),
  JETTY_RESULTS_MAX_FILES (10000), JETTY_RESULTS_MAX_COMPRESSION_RATIO (100)
exit status: the agent's; 1 the run failed without one, or the agent's validation_report.json says it did not pass;
  2 the runbook cannot run (usage, lint errors, missing keys,
  a secret not granted); cancelled, its sandbox deleted: 130 Ctrl-C, 143 SIGTERM, 129 SIGHUP, 141 stdout closed;
  with --matrix the highest of the runs'
`;

/** How each way out is told, and the exit code it ends with (128 + the signal's number, as a shell reports it). */
const STOPS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129, EPIPE: 141 } as const;

/** The sandbox provider for a prepared run (tests give their own). */
export type ProviderFactory = (prepared: Extract<PreparedRun, { ok: true }>) => SandboxProvider;

const run = async (
  args: string[],
  makeProvider: ProviderFactory = (prepared) => prepared.createProvider(),
): Promise<number> => {
  // Keys and URLs come from the environment variables the SDK and the agent CLIs read themselves (DAYTONA_API_KEY,
  // ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, ...), plus JETTY_* for what only this tool has (SETTING_ENV).
  const env = process.env;
  const fromEnv = settingsFromEnv(env);
  const line = readCommandLine('run', USAGE, args, {
    ...LINT_RULE_OPTIONS,
    // The flags win over the variables, which win over the settings' defaults.
    sandbox: { type: 'string', default: fromEnv('jetty.sandbox') || String(SETTINGS['jetty.sandbox']!.default) },
    format: { type: 'string', default: 'text' },
    'timeout-minutes': {
      type: 'string',
      default: fromEnv('jetty.run.timeoutMinutes') || String(SETTINGS['jetty.run.timeoutMinutes']!.default),
    },
    var: { type: 'string', multiple: true, default: [] },
    input: { type: 'string' },
    file: { type: 'string', multiple: true, default: [] },
    'strict-provider': { type: 'boolean', default: false },
    secret: { type: 'string', multiple: true, default: [] },
    matrix: { type: 'string' },
  });
  if (typeof line === 'number') return line;
  const { values, positionals } = line;
  const timeoutMinutes = Number(values['timeout-minutes']);
  let lintRules: Record<string, string>;
  let parameters: Record<string, string>;
  let pairs: MatrixPair[] | undefined;
  try {
    if (positionals.length !== 1)
      throw new UsageError(
        positionals.length
          ? `one runbook at a time (got ${positionals.join(' and ')})`
          : 'which runbook? Give its file.',
      );
    if (values.sandbox !== 'daytona' && values.sandbox !== 'local')
      throw new UsageError(`--sandbox is daytona or local, not "${values.sandbox}"`);
    if (values.format !== 'text' && values.format !== 'json')
      throw new UsageError(`--format is text or json, not "${values.format}"`);
    if (!(timeoutMinutes > 0))
      throw new UsageError(`--timeout-minutes is a positive number, not "${values['timeout-minutes']}"`);
    lintRules = lintRulesFrom(values).rules;
    parameters = Object.fromEntries(values.var.map(parseVar));
    if (values.matrix !== undefined) pairs = parseMatrix(values.matrix);
  } catch (error) {
    if (error instanceof MatrixError) return usageFailed('run', USAGE, new UsageError(`--matrix: ${error.message}`));
    if (error instanceof UsageError || error instanceof InputError) return usageFailed('run', USAGE, error);
    throw error;
  }
  const file = positionals[0]!;
  const sandbox: SandboxKind = values.sandbox;
  const json = values.format === 'json';

  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    process.stderr.write(`jetty-runbook run: cannot read ${file}: ${fileProblem(error)}\n`);
    return 2;
  }

  const redactor = redactorFromEnv(
    env,
    declaredSecrets(frontMatterMapping(parseRunbook(text)) ?? {}).flatMap((s) => s.env ?? []),
  );
  const say = (message: string) => process.stderr.write(`${redactor.redact(message)}\n`);
  const fail = (error: RunError, mark = '') => {
    say(`jetty-runbook run: ${mark}${error.message}`);
    say(`  ${error.nextStep}`);
  };

  const settings = readSettings(fromEnv, (id, problem) =>
    say(`jetty-runbook run: ${SETTING_ENV[id] ?? id} ${problem}; it is ignored.`),
  );
  // A declared secret is read from the environment only when the user names its variable (--secret NAME, or
  // JETTY_SECRETS=A,B): a terminal holds many secrets no runbook should take by declaring them.
  const granted = new Set(
    [...values.secret, ...(env.JETTY_SECRETS ?? '').split(',')].map((name) => name.trim()).filter(Boolean),
  );
  const refused = ungranted(text, sandbox, granted);
  if (refused.length) {
    const names = refused.map((s) => s.env!);
    say(
      `jetty-runbook run: the runbook declares ${refused.map((s) => (s.env === s.name ? s.name : `${s.name} (read from ${s.env})`)).join(', ')} under secrets, and no variable of this environment reaches the sandbox unless you grant it. Nothing was started.`,
    );
    say(
      `  Grant ${names.length === 1 ? 'it' : 'them'}: ${names.map((n) => `--secret ${n}`).join(' ')} (or JETTY_SECRETS=${names.join(',')}), and run again.`,
    );
    return 2;
  }
  // An input.json gives the parameters and files its --var and --file flags would; the flags win.
  let inputFiles: InputFile[];
  try {
    const example = values.input
      ? readInputJson(await fs.promises.readFile(values.input, 'utf8'), path.resolve(values.input))
      : { parameters: {}, files: [] };
    parameters = { ...example.parameters, ...parameters };
    inputFiles = [...example.files, ...values.file.map((f) => ({ name: assetName(f), path: path.resolve(f) }))];
    await checkInputFiles(inputFiles);
  } catch (error) {
    say(
      `jetty-runbook run: ${error instanceof InputError ? error.message : `cannot read ${values.input}: ${fileProblem(error)}`}`,
    );
    return 2;
  }
  const sources: RunSources = {
    text,
    name: runbookName(file),
    sandbox,
    settings: { ...settings, lintRules, strictProvider: settings.strictProvider || values['strict-provider'] },
    value: environmentLookups(env, granted).value,
    parameters,
    inputFiles,
  };
  const ready = pairs
    ? await prepareMatrix(sources, pairs)
    : [{ pair: undefined, prepared: await prepareRun(sources) }];
  const blocked = ready.filter((r) => !r.prepared.ok);
  for (const { pair, prepared } of blocked)
    if (!prepared.ok) fail(explainBlocked(prepared.blocked, file, CLI_WORDS), pair ? `[${pairName(pair)}] ` : '');
  // A matrix with a pair that cannot run starts none: its key or its lint error is for the user to see to first.
  if (blocked.length) return 2;
  const runs = ready.map((r) => r.prepared as Extract<PreparedRun, { ok: true }>);
  for (const { plan } of runs) redactor.set(`run ${plan.agent} ${plan.model}`, plan.secretValues);
  const redact = redactor.redact;
  const several =
    runs.length > 1 ? { agents: 'agents', sandboxes: 'sandboxes' } : { agents: 'agent', sandboxes: 'sandbox' };

  const cancel = new AbortController();
  let stoppedBy: keyof typeof STOPS | undefined;
  const sandboxes = new Set<string>();
  // stdout or stderr closed under us (the pipe's reader went away): nothing more is written there.
  let stdoutClosed = false;
  // Every way out cleans up: Ctrl-C, SIGTERM, SIGHUP (a closed terminal) and a closed stdout (`| head`) cancel the
  // run, stop the agent and delete its sandbox, then exit with STOPS' code; a second signal quits at once.
  const stop = (why: keyof typeof STOPS) => {
    if (stoppedBy === undefined) {
      stoppedBy = why;
      const what = `stopping the ${several.agents} and deleting the ${several.sandboxes}…`;
      say(
        why === 'SIGINT'
          ? `Cancelling: ${what} (Ctrl-C again to quit at once)`
          : why === 'EPIPE'
            ? `Cancelling (standard output was closed): ${what}`
            : `Cancelling (${why}): ${what}`,
      );
      cancel.abort();
    } else if (why !== 'EPIPE') {
      say(
        `Quit before the sandbox was deleted${sandboxes.size ? ` (${[...sandboxes].join(', ')})` : ''}: remove it with "Jetty: Clean Up Sandboxes" or in the Daytona dashboard.`,
      );
      process.exit(STOPS[why]);
    }
  };
  const signals = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((name) => [name, () => stop(name)] as const);
  for (const [name, handler] of signals) process.on(name, handler);
  const onStdoutError = (error: NodeJS.ErrnoException) => {
    stdoutClosed = true;
    if (error.code === 'EPIPE') stop('EPIPE');
  };
  process.stdout.on('error', onStdoutError);
  const onStderrError = () => undefined; // a closed stderr only loses the progress lines
  process.stderr.on('error', onStderrError);

  // stdout gets the same log lines as the extension's output channel (or with --format json one object per event);
  // progress and errors go to stderr (`say`).
  const out = (line: string) => {
    if (!stdoutClosed) process.stdout.write(`${redact(line)}\n`);
  };

  /** One run, start to end: its lines (marked with its pair in a matrix), its outcome, its exit code. */
  const runOne = async (
    prepared: Extract<PreparedRun, { ok: true }>,
    pair: MatrixPair | undefined,
    signal: AbortSignal,
  ): Promise<{ outcome: RunOutcome; code: number }> => {
    const mark = pair ? `[${pairName(pair)}] ` : '';
    const tag = pair ? { run: pairName(pair) } : {};
    const provider = makeProvider(prepared);
    const trajectories: Trajectories = {
      startRun(info) {
        if (!json) out(`${mark}▶ ${info.runbook} (${[info.agent, info.model].filter(Boolean).join(' · ')})`);
        return {
          id: 'cli',
          append(events) {
            for (const event of events) {
              if (json) out(stringifyEvent(pair ? { ...event, ...tag } : event));
              else for (const line of formatEvent(event)) out(mark + line);
            }
          },
          finish(status, error) {
            if (!json) out(`${mark}■ ${info.runbook}: ${status}${error ? ` — ${error}` : ''}`);
          },
        };
      },
    };
    try {
      const outcome = await runPlan(prepared.plan, {
        provider,
        trajectories,
        redact,
        runsRoot: path.resolve(RUNS_FOLDER),
        runbookFile: path.relative(process.cwd(), path.resolve(file)) || file,
        timeoutMinutes,
        signal,
        words: CLI_WORDS,
        resultLimits: settings.resultLimits,
        onProgress: (message) => {
          if (!json) say(mark + message);
        },
        onSandbox: (id) => sandboxes.add(id),
      });
      if (outcome.sandboxId) sandboxes.delete(outcome.sandboxId);
      if (json) {
        out(
          JSON.stringify({
            kind: 'run',
            ...tag,
            status: outcome.status,
            exitCode: outcome.exitCode,
            folder: outcome.folder,
            results: outcome.results,
            primary_files: outcome.primaryFiles,
            ...(outcome.eval ? { eval: outcome.eval } : {}),
            ...(outcome.missingOutputs.length ? { missingOutputs: outcome.missingOutputs } : {}),
            ...(outcome.dropped.length ? { dropped: outcome.dropped } : {}),
            ...(outcome.withSecrets.length ? { withSecrets: outcome.withSecrets } : {}),
            error: outcome.error,
            cleanupError: outcome.cleanupError,
          }),
        );
      } else {
        if (outcome.error) fail(outcome.error, mark);
        if (outcome.cleanupError) fail(outcome.cleanupError, mark);
        if (outcome.folder) {
          const folder = path.relative(process.cwd(), outcome.folder);
          say(
            `${mark}Run folder: ${folder} (${outcome.results.length} result file${outcome.results.length === 1 ? '' : 's'})`,
          );
          if (outcome.eval) say(`${mark}Evaluation: ${describeEval(outcome.eval)}`);
          for (const file of outcome.primaryFiles) say(`${mark}Main output: ${path.join(folder, 'results', file)}`);
        }
      }
      return { outcome, code: outcome.status === 'cancelled' ? STOPS[stoppedBy ?? 'SIGINT'] : exitCodeOf(outcome) };
    } finally {
      // The run is over and its exit code decided: a client that fails to shut down is said, never the exit code.
      await provider
        .dispose()
        .catch((error: unknown) =>
          say(`jetty-runbook run: ${mark}could not close the sandbox client: ${redactedMessage(error, redact)}`),
        );
    }
  };

  try {
    if (!pairs) return (await runOne(runs[0]!, undefined, cancel.signal)).code;
    const matrix = runMatrix(runs.length, settings.maxConcurrent, (i, signal) => runOne(runs[i]!, pairs![i], signal));
    cancel.signal.addEventListener('abort', () => matrix.cancelAll(), { once: true });
    const results = await matrix.done;
    const cancelledCode = STOPS[stoppedBy ?? 'SIGINT'];
    const codes = results.map((r) =>
      r.status === 'done' ? r.value!.code : r.status === 'cancelled' ? cancelledCode : 1,
    );
    const folders = results.map((r) => r.value?.outcome.folder).filter((f): f is string => Boolean(f));
    if (json) out(JSON.stringify({ kind: 'matrix', runs: pairs.map(pairName), exitCodes: codes, folders }));
    else {
      results.forEach((r, i) => {
        const o = r.value?.outcome;
        const how = o ? o.status : r.status === 'cancelled' ? 'cancelled before it started' : 'failed';
        say(`[${pairName(pairs![i]!)}] ${how}${o?.exitCode !== undefined ? ` (exit ${o.exitCode})` : ''}`);
      });
      if (folders.length > 1)
        say(`Compare them: jetty-runbook compare ${folders.map((f) => path.relative(process.cwd(), f)).join(' ')}`);
    }
    return worstExitCode(codes);
  } finally {
    for (const [name, handler] of signals) process.off(name, handler);
    process.stdout.off('error', onStdoutError);
    process.stderr.off('error', onStderrError);
  }
};

export default run satisfies Subcommand;

/** The runbook's required secrets whose variables the user did not grant (a run cannot start without them). */
function ungranted(text: string, sandbox: SandboxKind, granted: ReadonlySet<string>) {
  const front = frontMatterMapping(parseRunbook(text)) ?? {};
  return keysNeeded(front, { sandbox }).filter(
    (key) => key.kind === 'secret' && key.required && key.env !== undefined && !granted.has(key.env),
  );
}

/** A run's exit code when it was not cancelled: the agent's (1 when it exited 0 but the run failed), else 0 or 1. */
function exitCodeOf(outcome: RunOutcome): number {
  // The agent finishing is not the run passing: its own evaluation saying it failed is a failed run, as on Jetty.
  const passed = outcome.status === 'succeeded' && outcome.eval?.overall_passed !== false;
  if (outcome.exitCode !== undefined) return outcome.exitCode === 0 && !passed ? 1 : outcome.exitCode;
  return passed ? 0 : 1;
}
