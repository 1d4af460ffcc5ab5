// The runner: carries out a run plan in a sandbox, the one pipeline behind "Jetty: Run Runbook" and `jetty-runbook
// run`, for Daytona and the local sandbox alike. Never throws: every way it ends is a RunOutcome with a status and,
// when it did not succeed, a RunError saying why and what to do.
import fs from 'node:fs';
import type { HostWords } from '../actions';
import { redactedMessage, type Redact } from '../redact';
import { createTrajectoryReader } from '../trajectory/reader';
import type { FinishedStatus, Trajectories } from '../trajectory/trajectories';
import { createSummaryBuilder, type RunSummary } from '../trajectory/summary';
import {
  CANCELLED,
  FailureWatch,
  explainAgentFailure,
  explainDownloadFailure,
  explainInstallFailure,
  explainLayoutFailure,
  explainSandboxError,
  explainTimeout,
  explainUnexpected,
  type RunError,
} from './errors';
import { adapterOf } from '../agents';
import { clip, slug } from '../text';
import { DEFAULT_RESULT_LIMITS, type DroppedResult, type ResultLimits } from './results';
import { sandboxSteps, type RunPlan } from './plan';
import { describeEval, evalOf, readEvaluationReport, REPORT_FILE, type RunEval } from './evaluation';
import { primaryFiles } from './outputs';
import { RunFolder, type RunRecord } from './runs';
import { SandboxError, type Sandbox, type SandboxProvider } from './sandbox';

export interface RunDeps {
  provider: SandboxProvider;
  /** Where the run's events go as they arrive (the tree and output channel, or the terminal). */
  trajectories: Trajectories;
  /** Applied to every line of the trajectory and every message, before anything sees, shortens or stores them. */
  redact: Redact;
  /** The `.jetty/runs` folder the run's folder is created in. */
  runsRoot: string;
  /** The runbook file as run.json names it. */
  runbookFile?: string;
  /** jetty.run.timeoutMinutes (fractions allowed; Infinity: no limit). */
  timeoutMinutes: number;
  /** Cancels the run: whatever is under way stops at once and the sandbox is deleted. */
  signal?: AbortSignal;
  /** How the host words settings and keys in messages (see core/actions.ts HostWords). */
  words: HostWords;
  /** Each step as it begins, in a few words ("Creating the Daytona sandbox…"). */
  onProgress?: (message: string) => void;
  /** Told as soon as the run has its folder and its place in `trajectories`. */
  onStarted?: (run: { id: string; trajectoryId: string; folder: string }) => void;
  /** Told the sandbox's id as soon as it exists (to name it if the process is killed before deleting it). */
  onSandbox?: (id: string) => void;
  /** How long the install step may take (default 10 minutes). */
  installTimeoutSeconds?: number;
  /** What may come home (jetty.results.*; default DEFAULT_RESULT_LIMITS). */
  resultLimits?: ResultLimits;
}

export interface RunOutcome {
  /** The run folder's name (also the sandbox's `jetty-run` label); undefined if even that could not be created. */
  id?: string;
  folder?: string;
  trajectoryId: string;
  status: FinishedStatus;
  /** The agent's exit code, when it ran to the end. */
  exitCode?: number;
  error?: RunError;
  /** The run itself may have succeeded, but its sandbox could not be deleted. */
  cleanupError?: RunError;
  /** Files downloaded into results/. */
  results: string[];
  /** Of those, the main outputs (run.json primary_files). */
  primaryFiles: string[];
  /** The agent's evaluation of its work (validation_report.json), when it wrote one. */
  eval?: RunEval;
  /** The runbook's required output files that did not come home. */
  missingOutputs: string[];
  /** What the download left out, and why (links, version-control folders, files over a limit…). */
  dropped: DroppedResult[];
  /** Result files holding one of the run's secrets (reported, not rewritten). */
  withSecrets: string[];
  summary: RunSummary;
  sandboxId?: string;
}

/** A failure already explained, thrown to leave the steps. */
class Explained extends Error {
  constructor(readonly explanation: RunError) {
    super(explanation.message);
  }
}

const STDERR_KEPT = 16 * 1024;
const MAX_TIMER_MS = 2 ** 31 - 1;
/** The longest message run.json and the hosts get (redacted first, then cut). */
const MESSAGE_KEPT = 8000;

/**
 * Create → upload → install → the agent as a streamed command whose stdout goes, line by line as it arrives, through
 * the trajectory reader (redacting first) into the run's trajectory.jsonl and to whoever shows the run (the tree and
 * output channel, or the terminal) → download the results → delete the sandbox, in a `finally`, on every path:
 * success, failure, cancel, time-out.
 */
export async function runPlan(plan: RunPlan, deps: RunDeps): Promise<RunOutcome> {
  const { redact, words } = deps;
  const progress = (message: string) => tell(() => deps.onProgress?.(message));
  const startedAt = new Date();
  const summary = createSummaryBuilder();
  const info = {
    runbook: plan.runbook,
    agent: plan.agent,
    model: plan.model,
    provider: plan.provider,
    sandbox: plan.sandbox,
    source: 'live' as const,
    startedAt: startedAt.getTime(),
  };

  let folder: RunFolder;
  try {
    folder = await RunFolder.create(deps.runsRoot, plan.runbook, startedAt);
  } catch (error) {
    const handle = deps.trajectories.startRun(info);
    const explained = clean(
      explainUnexpected(new Error(`could not create the run folder in ${deps.runsRoot}: ${(error as Error).message}`)),
      redact,
    );
    handle.finish('failed', sentence(explained));
    return {
      trajectoryId: handle.id,
      status: 'failed',
      error: explained,
      results: [],
      primaryFiles: [],
      missingOutputs: [],
      dropped: [],
      withSecrets: [],
      summary: summary.summary,
    };
  }
  const handle = deps.trajectories.startRun({ ...info, folder: folder.folder });
  tell(() => deps.onStarted?.({ id: folder.id, trajectoryId: handle.id, folder: folder.folder }));
  if (plan.providerSwitch) progress(plan.providerSwitch.note);
  if (plan.unfilled.length) {
    const names = plan.unfilled.map((name) => `{{${name}}}`).join(', ');
    progress(
      `No value for ${names}: the agent reads ${plan.unfilled.length === 1 ? 'it' : 'them'} as written, as on Jetty.`,
    );
  }

  const record: RunRecord = {
    version: 1,
    id: folder.id,
    runbook: plan.runbook,
    ...(deps.runbookFile ? { runbookFile: deps.runbookFile } : {}),
    agent: plan.agent,
    agentVersion: plan.agentVersion,
    model: plan.model,
    provider: plan.provider,
    ...(plan.providerSwitch
      ? {
          requestedProvider: plan.providerSwitch.from.provider,
          ...(plan.providerSwitch.from.model ? { requestedModel: plan.providerSwitch.from.model } : {}),
          providerNote: plan.providerSwitch.note,
        }
      : {}),
    ...(Object.keys(plan.parameters).length
      ? { parameters: Object.fromEntries(Object.entries(plan.parameters).map(([k, v]) => [k, redact(v)])) }
      : {}),
    ...(plan.unfilled.length ? { unfilled: [...plan.unfilled] } : {}),
    ...(plan.inputFiles.length ? { inputFiles: plan.inputFiles.map((f) => f.name) } : {}),
    sandbox: {
      kind: plan.sandbox,
      ...(plan.request.snapshot ? { snapshot: plan.request.snapshot } : {}),
      ...(plan.request.image ? { image: plan.request.image } : {}),
    },
    startedAt: startedAt.toISOString(),
    status: 'running',
    usage: summary.summary.usage,
    turns: 0,
    results: [],
  };

  // One signal for everything under way: the caller's cancel, or the time limit.
  const stop = new AbortController();
  let stopped: 'cancelled' | 'timed out' | undefined;
  const halt = (why: 'cancelled' | 'timed out') => {
    stopped ??= why;
    stop.abort();
  };
  const onCancel = () => halt('cancelled');
  deps.signal?.addEventListener('abort', onCancel, { once: true });
  // A timer longer than 2^31-1 ms fires at once (Node warns and uses 1 ms): longer limits are that long, no limit is none.
  const limitMs = deps.timeoutMinutes * 60_000;
  const timer = Number.isFinite(limitMs)
    ? setTimeout(() => halt('timed out'), Math.min(Math.max(1, limitMs), MAX_TIMER_MS))
    : undefined;
  const signal = stop.signal;
  if (deps.signal?.aborted) halt('cancelled');

  const watch = new FailureWatch();
  let showFailed = false;
  let stderr = '';
  const reader = createTrajectoryReader({
    formats: adapterOf(plan.agent).format,
    transformLine: redact,
    onLine: (line) => folder.appendLine(line),
    onEvents: (batch) => {
      summary.add(batch);
      watch.add(batch);
      // Called from the sandbox's output callback: a throw here would escape into the stream (an uncaught exception).
      // What could not be shown is still in trajectory.jsonl, so the run goes on; the first failure is said once.
      tell(
        () => handle.append(batch),
        (failure) => {
          if (!showFailed)
            progress(
              `Some events could not be shown (${redactedMessage(failure, redact)}); trajectory.jsonl keeps them all.`,
            );
          showFailed = true;
        },
      );
    },
  });
  let readerEnded = false;

  let sandbox: Sandbox | undefined;
  let status: FinishedStatus;
  let error: RunError | undefined;
  let cleanupError: RunError | undefined;
  let exitCode: number | undefined;
  let evaluation: RunEval | undefined;
  let missingOutputs: string[] = [];
  let results: string[] = [];
  let dropped: DroppedResult[] = [];
  let withSecrets: string[] = [];
  try {
    await folder.writeRecord(record);
    progress(plan.sandbox === 'daytona' ? 'Creating the Daytona sandbox…' : 'Creating the local sandbox…');
    sandbox = await deps.provider.create(
      { ...plan.request, labels: { ...plan.request.labels, 'jetty-run': slug(folder.id) } },
      { signal },
    );
    record.sandbox.id = sandbox.id;
    const sandboxId = sandbox.id;
    tell(() => deps.onSandbox?.(sandboxId));
    await folder.writeRecord(record);
    const steps = sandboxSteps(plan, sandbox.workDir);

    progress('Laying out /app and /logs/agent…');
    const layout = await sandbox.exec(steps.layout, { signal, timeoutSeconds: 120 });
    if (layout.exitCode !== 0) throw new Explained(explainLayoutFailure(redact(layout.output)));

    progress('Uploading the runbook…');
    await sandbox.upload(steps.files, { signal });
    if (plan.inputFiles.length) {
      progress(`Uploading ${plan.inputFiles.length} input file${plan.inputFiles.length === 1 ? '' : 's'}…`);
      const files = await Promise.all(
        plan.inputFiles.map(async (f) => ({
          path: `${steps.assetsDir}/${f.name}`,
          content: await fs.promises.readFile(f.path),
        })),
      );
      await sandbox.upload(files, { signal });
    }

    progress(`Checking ${plan.agent} ${plan.agentVersion}…`);
    const install = await sandbox.exec(steps.install, {
      signal,
      timeoutSeconds: deps.installTimeoutSeconds ?? 600,
      installsCli: true,
    });
    if (install.exitCode !== 0)
      throw new Explained(explainInstallFailure(plan, install.exitCode, redact(install.output), words));

    progress(`Running ${plan.agent} (${plan.model})…`);
    const streamed = await sandbox.stream(
      steps.agent,
      {
        onStdout: (chunk) => reader.push(chunk),
        // Redacted before it is cut: a key split by the cut would otherwise keep its other part.
        onStderr: (chunk) => (stderr = redact(stderr + chunk).slice(-STDERR_KEPT)),
      },
      { signal },
    );
    reader.end();
    readerEnded = true;
    exitCode = streamed.exitCode;
    record.exitCode = exitCode;
    error = explainAgentFailure(plan, exitCode, watch, stderr, words);

    progress('Downloading the results…');
    try {
      const report = await sandbox.downloadFolder(steps.resultsDir, folder.resultsFolder, {
        signal,
        limits: deps.resultLimits ?? DEFAULT_RESULT_LIMITS,
        holdsSecret: (text) => redact(text) !== text,
      });
      results = report.files;
      // The agent named them: they may quote a key.
      dropped = report.dropped.map((d) => ({ path: redact(d.path), reason: redact(d.reason) }));
      withSecrets = report.withSecrets.map((file) => redact(file));
      if (dropped.length)
        progress(`Left out of the results: ${dropped.map((d) => `${d.path} (${d.reason})`).join('; ')}.`);
      if (withSecrets.length)
        progress(
          `These results hold a key or secret of this run (left as the agent wrote them): ${withSecrets.join(', ')}.`,
        );
      // The agent's own report of how it did, as Jetty reads it; then what the runbook required that is not there.
      const reading = await readEvaluationReport(folder.resultsFolder);
      evaluation = reading.ok ? evalOf(reading.report) : undefined;
      if (evaluation) progress(`Evaluation: ${describeEval(evaluation)}.`);
      else if (reading.ok === false && reading.reason === 'unreadable')
        progress(`${REPORT_FILE} could not be read (${reading.problem ?? 'not a report'}): no evaluation.`);
      missingOutputs = plan.requiredOutputs.filter((file) => !results.includes(file));
      if (missingOutputs.length)
        progress(`Required output files that did not come home: ${missingOutputs.join(', ')}.`);
    } catch (failure) {
      if (stopped || !(failure instanceof SandboxError)) throw failure;
      error ??= explainDownloadFailure(failure);
    }
    status = error ? 'failed' : 'succeeded';
  } catch (failure) {
    if (stopped) {
      status = stopped;
      error = stopped === 'timed out' ? explainTimeout(deps.timeoutMinutes, words) : CANCELLED;
    } else {
      status = 'failed';
      error =
        failure instanceof Explained
          ? failure.explanation
          : failure instanceof SandboxError
            ? explainSandboxError(failure, plan, words)
            : explainUnexpected(failure);
    }
  } finally {
    clearTimeout(timer);
    deps.signal?.removeEventListener('abort', onCancel);
    // A cancelled or failed stream still keeps what arrived: the last, unfinished line included.
    if (!readerEnded) reader.end();
    if (sandbox) {
      progress(plan.sandbox === 'daytona' ? 'Deleting the sandbox…' : 'Removing the local sandbox…');
      try {
        await sandbox.delete();
      } catch (failure) {
        cleanupError =
          failure instanceof SandboxError ? explainSandboxError(failure, plan, words) : explainUnexpected(failure);
      }
    }
  }

  error = error && clean(error, redact);
  cleanupError = cleanupError && clean(cleanupError, redact);
  const totals = summary.summary;
  const primary = primaryFiles(plan.primaryOutputs, results, folder.resultsFolder);
  Object.assign(record, {
    finishedAt: new Date().toISOString(),
    status,
    usage: totals.usage,
    turns: totals.turns,
    results,
    ...(primary.length ? { primary_files: primary } : {}),
    ...(evaluation ? { eval: evaluation } : {}),
    ...(missingOutputs.length ? { missingOutputs } : {}),
    ...(dropped.length ? { dropped } : {}),
    ...(withSecrets.length ? { secretsInResults: withSecrets } : {}),
    ...(totals.costUsd !== undefined ? { costUsd: totals.costUsd } : {}),
    ...(error ? { error: { message: error.message, nextStep: error.nextStep } } : {}),
  });
  // Closed whatever writing run.json does: otherwise each such run would leak an open trajectory.jsonl.
  const written = await Promise.allSettled([folder.writeRecord(record), folder.close()]);
  const failure = written.find((result) => result.status === 'rejected')?.reason as Error | undefined;
  if (failure)
    error ??= clean(
      explainUnexpected(new Error(`could not write the run folder ${folder.folder}: ${failure.message}`)),
      redact,
    );
  const shown = [error && sentence(error), cleanupError && sentence(cleanupError)].filter(Boolean).join(' ');
  tell(() => handle.finish(status, shown || undefined));
  return {
    id: folder.id,
    folder: folder.folder,
    trajectoryId: handle.id,
    status,
    ...(exitCode !== undefined ? { exitCode } : {}),
    ...(error ? { error } : {}),
    ...(cleanupError ? { cleanupError } : {}),
    results,
    primaryFiles: primary,
    ...(evaluation ? { eval: evaluation } : {}),
    missingOutputs,
    dropped,
    withSecrets,
    summary: totals,
    ...(sandbox ? { sandboxId: sandbox.id } : {}),
  };
}

/** Calls back whoever shows the run; what they throw never ends the run (nor escapes into a sandbox's callback). */
function tell(call: () => void, onThrow: (failure: unknown) => void = () => undefined): void {
  try {
    call();
  } catch (failure) {
    onThrow(failure);
  }
}

/**
 * The error with its texts redacted, then cut to a size run.json and a notification can hold: messages quote command
 * output and service answers, which may carry a key, so the whole text is redacted before any of it is cut.
 */
function clean(error: RunError, redact: Redact): RunError {
  return {
    ...error,
    message: clip(redact(error.message), MESSAGE_KEPT, true),
    nextStep: clip(redact(error.nextStep), MESSAGE_KEPT, true),
  };
}

function sentence(error: RunError): string {
  return `${error.message} ${error.nextStep}`;
}
