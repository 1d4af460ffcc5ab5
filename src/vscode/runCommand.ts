// "Jetty: Run Runbook" and "Jetty: Cancel Run": the VS Code side of running a runbook. It gathers what the core needs
// (the document, settings, keys from SecretStorage), asks the questions only a person can answer (run on this machine?
// set the missing key?), shows progress with a Cancel button, and turns the runner's outcome into a notification whose
// buttons take the next step. Everything else is the core's plan and runner (src/core/run/), the pipeline the CLI uses.
import path from 'node:path';
import * as vscode from 'vscode';
import { settingsCredentials } from '../core/keys';
import type { Redactor } from '../core/redact';
import { explainBlocked, explainUnexpected, type RunError } from '../core/run/errors';
import { prepareRun, type PreparedRun, type RunSources } from '../core/run/prepare';
import { runPlan, type RunOutcome } from '../core/run/runner';
import { RUNS_FOLDER, runbookName } from '../core/run/runs';
import type { FinishedStatus } from '../core/trajectory/trajectories';
import { secretScope, type KeyStore } from './keyStore';
import { confirm } from './confirm';
import { isRunbook, pickWorkspaceRunbook } from './runbookDetection';
import { OPEN_RUN, openSetting, showRunError, OPEN_MAIN_OUTPUT } from './runNotifications';
import { readConfiguration } from './settings';
import { VSCODE_WORDS } from './words';
import { askParameters, inputFiles, pickInputFiles } from './runInputs';
import { InputError, runParameters } from '../core/run/inputs';
import type { Blocked, InputFile } from '../core/run/plan';
import type { JettySettings } from '../core/settings';
import type { TrajectoriesApi } from './trajectories';

/** What "Jetty: Run Runbook" resolves to (for tests and scripts): how the run ended, never a secret. */
export interface RunCommandResult {
  /** `blocked`: the runbook could not start (lint errors, missing keys…); `not-started`: nothing to run or declined. */
  status: FinishedStatus | 'blocked' | 'not-started';
  /** The run folder's name. */
  runId?: string;
  /** The run's id in the Jetty Trajectories tree. */
  trajectoryId?: string;
  folder?: string;
  exitCode?: number;
  results?: string[];
  error?: RunError;
  cleanupError?: RunError;
}

export interface RunsApi {
  /** The runs going on in this window. */
  live(): { trajectoryId: string; runId: string; runbook: string }[];
  /** The run folder names (the sandboxes' `jetty-run` labels) of the runs going on in this window. */
  liveRunIds(): ReadonlySet<string>;
  /**
   * Cancels every live run and resolves when their sandboxes are deleted: for deactivate(), so no sandbox outlives the
   * extension.
   */
  stopAll(): Promise<void>;
}

/** A runbook about to run: its document, where its runs go, its settings, and what the core's preparation needs. */
export interface RunContext {
  document: vscode.TextDocument;
  root: string;
  settings: JettySettings;
  name: string;
  runbookFile: string;
  sources: RunSources;
}

/** The steps of "Run Runbook", for "Run Runbook on…" (runOn.ts), which runs one runbook several times. */
export interface RunLauncher {
  gather(arg: unknown, askFiles: boolean): Promise<RunContext | RunCommandResult>;
  blocked(ctx: RunContext, why: Blocked, again: () => void, label?: string): RunCommandResult;
  launch(
    ctx: RunContext,
    prepared: Extract<PreparedRun, { ok: true }>,
    options?: { signal?: AbortSignal; progress?: (message: string) => void },
  ): Promise<RunOutcome>;
  /** The notification at the end of a run. */
  report(outcome: RunOutcome, name: string): void;
}

/** A finished run as the command resolves to it. */
export function resultOf(result: RunOutcome): RunCommandResult {
  return {
    status: result.status,
    ...(result.id ? { runId: result.id } : {}),
    trajectoryId: result.trajectoryId,
    ...(result.folder ? { folder: result.folder } : {}),
    ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
    results: result.results,
    ...(result.error ? { error: result.error } : {}),
    ...(result.cleanupError ? { cleanupError: result.cleanupError } : {}),
  };
}

interface LiveRun {
  runbook: string;
  runId: string;
  trajectoryId: string | undefined;
  cancel: AbortController;
  done: Thenable<unknown>;
}

/** Asked once per workspace: a local run runs the workspace's agents on this machine (isolated, but here). */
const LOCAL_CONFIRMED = 'jetty.localSandbox.confirmed';

export interface RunCommandDeps {
  keyStore: KeyStore;
  redactor: Redactor;
  trajectories: TrajectoriesApi;
}

export function registerRunCommand(
  context: vscode.ExtensionContext,
  deps: RunCommandDeps,
): RunsApi & { launcher: RunLauncher } {
  const { keyStore, redactor, trajectories } = deps;
  const redact = redactor.redact;
  const channel = trajectories.channel;
  const live = new Set<LiveRun>();
  // The palette offers Cancel Run only while a run is going (`jetty.hasLiveRuns` in the manifest).
  const liveChanged = () => void vscode.commands.executeCommand('setContext', 'jetty.hasLiveRuns', live.size > 0);

  // What a URL setting may carry (a gateway's https://user:token@… or ?key=…) is hidden everywhere, not only in runs
  // (Clean Up Sandboxes names the Daytona URL too). Each run adds its folder's own values (plan.secretValues).
  const hideUrlCredentials = () => redactor.set('url settings', settingsCredentials(readConfiguration().provider));
  hideUrlCredentials();
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('jetty') && hideUrlCredentials()),
  );

  /** What a run needs from the person and the window, asked before anything starts; or why it cannot start. */
  async function gather(arg: unknown, askFiles: boolean): Promise<RunContext | RunCommandResult> {
    const given = runArguments(arg);
    if (!vscode.workspace.isTrusted) {
      void vscode.window
        .showWarningMessage(
          'Jetty: running a runbook starts an agent with a shell, so it needs a trusted workspace.',
          'Manage Workspace Trust',
        )
        .then((choice) => {
          if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
        });
      return { status: 'not-started' };
    }
    const document = await runbookDocument(given.runbook);
    if (!document) {
      void vscode.window.showInformationMessage(
        'Jetty: open a runbook (a markdown file with `agent` or `model` in its front-matter) to run it.',
      );
      return { status: 'not-started' };
    }
    const root = runsRootOf(document.uri);
    if (!root) {
      void vscode.window.showWarningMessage(
        'Jetty: save the runbook in a folder first: its run is kept in .jetty/runs/ next to it.',
      );
      return { status: 'not-started' };
    }
    const settings = readConfiguration(document.uri);
    if (settings.sandbox === 'local' && !(await confirmLocal(context))) return { status: 'not-started' };

    const parameters = await askParameters(
      context.workspaceState,
      document.uri,
      runParameters(document.getText()),
      given.parameters,
    );
    if (!parameters) return { status: 'not-started' };
    let files: InputFile[] = [];
    try {
      if (given.files) files = await inputFiles(given.files);
      else if (askFiles) {
        const picked = await pickInputFiles(document.uri);
        if (!picked) return { status: 'not-started' };
        files = picked;
      }
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      void vscode.window.showErrorMessage(`Jetty: ${error.message}. Nothing was started.`);
      return { status: 'not-started' };
    }
    await keyStore.load();
    const name = runbookName(document.uri.path);
    return {
      document,
      root,
      settings,
      name,
      runbookFile:
        path.relative(path.dirname(path.dirname(root)), document.uri.fsPath) || path.basename(document.uri.fsPath),
      sources: {
        text: document.getText(),
        name,
        sandbox: settings.sandbox,
        settings,
        // A runbook secret is its workspace folder's: never another repository's of the same name.
        value: (key) => keyStore.get(key.name, key.kind, key.kind === 'secret' ? secretScope(document.uri) : undefined),
        parameters,
        inputFiles: files,
      },
    };
  }

  /** Says why a prepared run cannot start; setting the missing keys runs `again`. */
  function blocked(ctx: RunContext, why: Blocked, again: () => void, label = ''): RunCommandResult {
    const error = explainBlocked(why, path.basename(ctx.document.uri.fsPath), VSCODE_WORDS);
    const shown = label ? { ...error, message: `${label}: ${error.message}` } : error;
    channel.error(redact(`${shown.message}\n${shown.nextStep}`));
    showRunError(shown, redact, why.reason === 'missing-keys' ? again : undefined);
    return { status: 'blocked', error };
  }

  /**
   * Runs a prepared plan to its end: counted among the live runs (the tree's Cancel reaches it), its sandbox client
   * closed after. `signal` cancels it too (a matrix's Cancel); `progress` reports its steps.
   */
  async function launch(
    ctx: RunContext,
    prepared: Extract<PreparedRun, { ok: true }>,
    options: { signal?: AbortSignal; progress?: (message: string) => void } = {},
  ): Promise<RunOutcome> {
    const plan = prepared.plan;
    if (plan.providerSwitch) channel.info(`${ctx.name}: ${plan.providerSwitch.note}`);
    redactor.set(`run:${ctx.name}:${plan.agent}:${plan.model}:${Date.now()}`, plan.secretValues);
    const provider = prepared.createProvider();
    const entry: LiveRun = {
      runbook: ctx.name,
      runId: '',
      trajectoryId: undefined,
      cancel: new AbortController(),
      done: Promise.resolve(),
    };
    const stop = () => entry.cancel.abort();
    if (options.signal?.aborted) stop();
    options.signal?.addEventListener('abort', stop, { once: true });
    live.add(entry);
    liveChanged();
    const outcome = (async () => {
      try {
        return await runPlan(plan, {
          provider,
          trajectories,
          redact,
          runsRoot: ctx.root,
          runbookFile: ctx.runbookFile,
          timeoutMinutes: Math.max(1 / 60, ctx.settings.timeoutMinutes),
          signal: entry.cancel.signal,
          words: VSCODE_WORDS,
          resultLimits: ctx.settings.resultLimits,
          onProgress: options.progress,
          onStarted: (started) => {
            entry.runId = started.id;
            entry.trajectoryId = started.trajectoryId;
          },
        });
      } finally {
        options.signal?.removeEventListener('abort', stop);
        await provider.dispose().catch(() => undefined);
        live.delete(entry);
        liveChanged();
      }
    })();
    entry.done = outcome;
    const result = await outcome;
    // Said where it stays: what the download left out, and which results hold a key (run.json has both too).
    if (result.dropped.length)
      channel.warn(
        `${ctx.name}: left out of the results: ${result.dropped.map((d) => `${d.path} (${d.reason})`).join('; ')}`,
      );
    if (result.withSecrets.length)
      channel.warn(
        `${ctx.name}: these results hold a key or secret of this run (left as the agent wrote them): ${result.withSecrets.join(', ')}`,
      );
    return result;
  }

  async function run(arg?: unknown, askFiles = false): Promise<RunCommandResult> {
    const ctx = await gather(arg, askFiles);
    if (!('sources' in ctx)) return ctx;
    const prepared = await prepareRun(ctx.sources);
    // Setting the missing keys continues the run: the same command, once every key it asked for is there.
    if (!prepared.ok)
      return blocked(
        ctx,
        prepared.blocked,
        () => void vscode.commands.executeCommand('jetty.runRunbook', ctx.document.uri),
      );

    // Checked here, with no await until the run is counted, so two quick starts cannot both take the last place.
    const limit = Math.max(1, ctx.settings.maxConcurrent);
    if (live.size >= limit) {
      void vscode.window
        .showWarningMessage(
          `Jetty: ${live.size} run${live.size === 1 ? ' is' : 's are'} going already, the most jetty.run.maxConcurrent allows. Wait for one to finish, or cancel one.`,
          'Open Settings',
        )
        .then((choice) => choice && openSetting('jetty.run.maxConcurrent'));
      return { status: 'not-started' };
    }
    const cancel = new AbortController();
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Jetty: ${ctx.name}`, cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => cancel.abort());
        return launch(ctx, prepared, { signal: cancel.signal, progress: (message) => progress.report({ message }) });
      },
    );
    report(result, ctx.name);
    return resultOf(result);
  }

  /** The notification at the end of a run. Not awaited: the command resolves while it is shown. */
  function report(outcome: RunOutcome, name: string): void {
    if (outcome.cleanupError) showRunError(outcome.cleanupError, redact);
    const openRun = () => void vscode.commands.executeCommand('jetty.openRun', outcome.trajectoryId);
    if (outcome.status === 'succeeded') {
      const files = outcome.results.length;
      const where = `${files} result file${files === 1 ? '' : 's'} in .jetty/runs/${outcome.id}/results`;
      const missing = outcome.missingOutputs.length
        ? ` Required but missing: ${outcome.missingOutputs.join(', ')}.`
        : '';
      // The agent finishing is not the run passing: a report that says it failed reads as a failed evaluation.
      const failed = outcome.eval?.overall_passed === false;
      const text = outcome.eval
        ? `Jetty: ${name} finished; its evaluation ${failed ? 'FAILED' : 'passed'} (${outcome.eval.pass} pass · ${outcome.eval.partial} partial · ${outcome.eval.fail} fail); ${where}.${missing}`
        : `Jetty: ${name} succeeded; ${where}.${missing}`;
      const buttons = [OPEN_RUN, ...(outcome.primaryFiles.length ? [OPEN_MAIN_OUTPUT] : []), 'Open Run Folder'];
      const show = failed || missing ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
      void show(text, ...buttons).then((choice) => {
        if (choice === OPEN_RUN) openRun();
        else if (choice === OPEN_MAIN_OUTPUT)
          void vscode.commands.executeCommand('jetty.openMainOutput', outcome.trajectoryId);
        else if (choice && outcome.folder)
          void vscode.commands.executeCommand(
            'revealInExplorer',
            vscode.Uri.file(path.join(outcome.folder, 'results')),
          );
      });
    } else if (outcome.status === 'cancelled') {
      void vscode.window
        .showInformationMessage(
          `Jetty: ${name} was cancelled; its sandbox was deleted, and what the agent printed until then is kept.`,
          OPEN_RUN,
        )
        .then((choice) => choice && openRun());
    } else if (outcome.error) {
      showRunError(outcome.error, redact, undefined, openRun);
    }
  }

  async function cancel(arg?: unknown): Promise<boolean> {
    const id =
      typeof arg === 'string'
        ? arg
        : arg && typeof arg === 'object' && 'id' in arg && typeof arg.id === 'string'
          ? arg.id
          : undefined;
    let target = id ? [...live].find((r) => r.trajectoryId === id || r.runId === id) : undefined;
    if (!target && !id) {
      const runs = [...live];
      if (runs.length === 1) target = runs[0];
      else if (runs.length > 1) {
        const picked = await vscode.window.showQuickPick(
          runs.map((r) => ({ label: r.runbook, description: r.runId, run: r })),
          { title: 'Jetty: Cancel Run', placeHolder: 'Which run to cancel' },
        );
        target = picked?.run;
      }
    }
    if (!target) {
      if (!id) void vscode.window.showInformationMessage('Jetty: no run is going on.');
      return false;
    }
    target.cancel.abort();
    await Promise.resolve(target.done).catch(() => undefined);
    return true;
  }

  context.subscriptions.push(
    vscode.commands.registerCommand('jetty.runRunbook', (arg?: unknown) =>
      run(arg).catch((error: unknown) => {
        const explained = explainUnexpected(error);
        showRunError(explained, redact);
        return { status: 'not-started', error: explained } satisfies RunCommandResult;
      }),
    ),
    vscode.commands.registerCommand('jetty.runRunbookWithFiles', (arg?: unknown) =>
      run(arg, true).catch((error: unknown) => {
        const explained = explainUnexpected(error);
        showRunError(explained, redact);
        return { status: 'not-started', error: explained } satisfies RunCommandResult;
      }),
    ),
    vscode.commands.registerCommand('jetty.cancelRun', cancel),
  );

  return {
    launcher: { gather, blocked, launch, report },
    live: () => [...live].map((r) => ({ trajectoryId: r.trajectoryId ?? '', runId: r.runId, runbook: r.runbook })),
    liveRunIds: () => new Set([...live].map((r) => r.runId)),
    async stopAll() {
      const runs = [...live];
      for (const r of runs) r.cancel.abort();
      await Promise.allSettled(runs.map((r) => r.done));
    },
  };
}

/**
 * What the command was given: a runbook's URI (a menu, the code lens), or from a script
 * `{ runbook?, parameters?, files? }`, parameters given there not being asked for.
 */
function runArguments(arg: unknown): {
  runbook?: vscode.Uri;
  parameters?: Record<string, string>;
  files?: vscode.Uri[];
} {
  if (arg instanceof vscode.Uri) return { runbook: arg };
  if (!arg || typeof arg !== 'object') return {};
  const { runbook, parameters, files } = arg as Record<string, unknown>;
  return {
    ...(runbook instanceof vscode.Uri ? { runbook } : {}),
    ...(parameters && typeof parameters === 'object'
      ? { parameters: Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, String(v)])) }
      : {}),
    ...(Array.isArray(files) ? { files: files.filter((f): f is vscode.Uri => f instanceof vscode.Uri) } : {}),
  };
}

/** The runbook to run: the URI a menu, code lens or script passed, else the active editor's, else one the user picks. */
async function runbookDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  let document: vscode.TextDocument | undefined;
  if (arg instanceof vscode.Uri) document = await vscode.workspace.openTextDocument(arg);
  else document = vscode.window.activeTextEditor?.document;
  if (!(arg instanceof vscode.Uri) && !(document && isRunbook(document))) {
    const picked = await pickWorkspaceRunbook();
    document = picked && (await vscode.workspace.openTextDocument(picked));
  }
  return document && document.languageId === 'markdown' && isRunbook(document) ? document : undefined;
}

/** `.jetty/runs` in the workspace folder holding the runbook, else next to the runbook. */
function runsRootOf(uri: vscode.Uri): string | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (folder?.uri.scheme === 'file') return path.join(folder.uri.fsPath, RUNS_FOLDER);
  if (uri.scheme === 'file') return path.join(path.dirname(uri.fsPath), RUNS_FOLDER);
  const first = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  return first && path.join(first.uri.fsPath, RUNS_FOLDER);
}

/** Asked once per workspace (each repository's runbooks are that repository's): run its agents on this machine? */
async function confirmLocal(context: vscode.ExtensionContext): Promise<boolean> {
  if (context.workspaceState.get<boolean>(LOCAL_CONFIRMED)) return true;
  const agreed = await confirm(
    'Run the agent on this machine?',
    "jetty.sandbox is \"local\": this workspace's runbooks run here in a bubblewrap sandbox, not in Daytona. The agent sees this machine's system read-only and the network, and writes only in a folder of the run's own (deleted after); your home and files are not there. You are asked this once for this workspace.",
    'Run on This Machine',
  );
  if (!agreed) return false;
  await context.workspaceState.update(LOCAL_CONFIRMED, true);
  return true;
}
