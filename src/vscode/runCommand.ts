// "Jetty: Run Runbook", "Jetty: Cancel Run" and "Jetty: Clean Up Sandboxes": the VS Code side of running a runbook. It
// gathers what the core needs (the document, settings, keys from SecretStorage), asks the questions only a person can
// answer (run on this machine? set the missing key?), shows progress with a Cancel button, and turns the runner's
// outcome into a notification whose buttons take the next step. Everything else is the core's plan and runner
// (src/core/run/), the same pipeline the CLI uses.
//
// Also here: past runs from `.jetty/runs/` put back into the tree at start-up, the concurrency limit
// (jetty.run.maxConcurrent), running only in trusted workspaces, and stopAll() for deactivate(): live runs are
// cancelled and their sandboxes deleted before the extension goes away.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { KEY_NAMES, declaredSecrets, providerSettingsFrom } from '../core/keys';
import type { Redactor } from '../core/redact';
import { createDaytonaProvider } from '../core/run/daytona';
import { explainBlocked, explainUnexpected, type RunAction, type RunError } from '../core/run/errors';
import { createLocalProvider } from '../core/run/local';
import { DEFAULT_VERSIONS, planRun, type SandboxKind } from '../core/run/plan';
import { runPlan, type RunOutcome } from '../core/run/runner';
import { RUNS_FOLDER, TRAJECTORY_FILE, loadRuns, runbookName, type SavedRun } from '../core/run/runs';
import { SandboxError, type SandboxProvider } from '../core/run/sandbox';
import { frontMatterMapping, parseRunbook } from '../core/runbook/parse';
import { createTrajectoryReader } from '../core/trajectory/reader';
import type { FinishedStatus } from '../core/trajectory/run';
import type { KeyStore } from './keyStore';
import { isRunbook } from './runbookDetection';
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

export interface CleanUpResult {
  found: number;
  deleted: string[];
  error?: string;
}

export interface RunsApi {
  /** The runs going on in this window. */
  live(): { trajectoryId: string; runId: string; runbook: string }[];
  /** Cancels every live run and resolves when their sandboxes are deleted. */
  stopAll(): Promise<void>;
  /** Settles when the runs saved in the workspace are back in the tree (done once at start-up). */
  restored: Promise<void>;
  /** Puts the runs saved in the workspace's `.jetty/runs/` into the tree, as start-up does. */
  restore(): Promise<void>;
}

interface LiveRun {
  runbook: string;
  runId: string;
  trajectoryId: string | undefined;
  cancel: AbortController;
  done: Thenable<unknown>;
}

/** Asked once: a local run gives the agent a shell on this machine. */
const LOCAL_CONFIRMED = 'jetty.localSandbox.confirmed';
/** How many saved runs per workspace folder come back into the tree. */
const RESTORED_RUNS = 20;

export interface RunCommandDeps {
  keyStore: KeyStore;
  redactor: Redactor;
  trajectories: TrajectoriesApi;
}

export function registerRunCommand(context: vscode.ExtensionContext, deps: RunCommandDeps): RunsApi {
  const { keyStore, redactor, trajectories } = deps;
  const redact = redactor.redact;
  const channel = trajectories.channel;
  const live = new Set<LiveRun>();

  async function run(arg?: unknown): Promise<RunCommandResult> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Jetty: running a runbook starts an agent with a shell, so it needs a trusted workspace.', 'Manage Workspace Trust').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
      });
      return { status: 'not-started' };
    }
    const document = await runbookDocument(arg);
    if (!document) {
      void vscode.window.showInformationMessage('Jetty: open a runbook (a markdown file with `agent` or `model` in its front-matter) to run it.');
      return { status: 'not-started' };
    }
    const root = runsRootOf(document.uri);
    if (!root) {
      void vscode.window.showWarningMessage('Jetty: save the runbook in a folder first: its run is kept in .jetty/runs/ next to it.');
      return { status: 'not-started' };
    }
    const config = vscode.workspace.getConfiguration('jetty', document.uri);
    const sandbox: SandboxKind = config.get<string>('sandbox') === 'local' ? 'local' : 'daytona';
    if (sandbox === 'local' && !(await confirmLocal(context))) return { status: 'not-started' };

    await keyStore.ready;
    const text = document.getText();
    const front = frontMatterMapping(parseRunbook(text)) ?? {};
    const keys = await keyStore.valuesFor(KEY_NAMES.map((key) => ({ name: key, kind: 'key' })));
    const secrets = await keyStore.valuesFor(declaredSecrets(front).map((secret) => ({ name: secret.name, kind: 'secret' })));
    const settings = providerSettingsFrom((id) => vscode.workspace.getConfiguration(undefined, document.uri).get<string>(id));
    const name = runbookName(document.uri.path);
    const runbookFile = path.relative(path.dirname(path.dirname(root)), document.uri.fsPath) || path.basename(document.uri.fsPath);
    const planned = planRun({
      text,
      name,
      sandbox,
      settings: {
        provider: settings,
        versions: { 'claude-code': config.get<string>('claudeCode.version') || DEFAULT_VERSIONS['claude-code'], codex: config.get<string>('codex.version') || DEFAULT_VERSIONS.codex },
        snapshots: config.get<Record<string, string>>('daytona.snapshots') ?? {},
        lintRules: config.get<Record<string, string>>('lint.rules') ?? {},
      },
      keys,
      secrets,
    });
    if (!planned.ok) {
      const error = explainBlocked(planned.blocked, path.basename(document.uri.fsPath), 'vscode');
      channel.error(redact(`${error.message}\n${error.nextStep}`));
      // Setting the missing keys continues the run: the same command, once every key it asked for is there.
      const rerun = planned.blocked.reason === 'missing-keys' ? () => void vscode.commands.executeCommand('jetty.runRunbook', document.uri) : undefined;
      showError(error, rerun);
      return { status: 'blocked', error };
    }
    const plan = planned.plan;
    redactor.set(`run:${name}:${Date.now()}`, plan.secretValues);

    // Checked here, with no await until the run is counted, so two quick starts cannot both take the last place.
    const limit = Math.max(1, config.get<number>('run.maxConcurrent') ?? 3);
    if (live.size >= limit) {
      void vscode.window
        .showWarningMessage(`Jetty: ${live.size} run${live.size === 1 ? ' is' : 's are'} going already, the most jetty.run.maxConcurrent allows. Wait for one to finish, or cancel one.`, 'Open Settings')
        .then((choice) => choice && openSetting('jetty.run.maxConcurrent'));
      return { status: 'not-started' };
    }
    const provider: SandboxProvider =
      sandbox === 'daytona' ? createDaytonaProvider({ apiKey: keys.DAYTONA_API_KEY ?? '', apiUrl: settings.daytonaApiUrl, target: settings.daytonaTarget }) : createLocalProvider();
    const entry: LiveRun = { runbook: name, runId: '', trajectoryId: undefined, cancel: new AbortController(), done: Promise.resolve() };
    live.add(entry);
    const outcome = vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Jetty: ${name}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => entry.cancel.abort());
        try {
          return await runPlan(plan, {
            provider,
            trajectories,
            redact,
            runsRoot: root,
            runbookFile,
            timeoutMinutes: Math.max(1 / 60, config.get<number>('run.timeoutMinutes') ?? 30),
            signal: entry.cancel.signal,
            host: 'vscode',
            onProgress: (message) => progress.report({ message }),
            onStarted: (started) => {
              entry.runId = started.id;
              entry.trajectoryId = started.trajectoryId;
            },
          });
        } finally {
          await provider.dispose().catch(() => undefined);
          live.delete(entry);
        }
      },
    );
    entry.done = outcome;
    const result = await outcome;
    report(result, name);
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

  /** The notification at the end of a run. Not awaited: the command resolves while it is shown. */
  function report(outcome: RunOutcome, name: string): void {
    if (outcome.cleanupError) showError(outcome.cleanupError);
    if (outcome.status === 'succeeded') {
      const files = outcome.results.length;
      void vscode.window.showInformationMessage(`Jetty: ${name} succeeded; ${files} result file${files === 1 ? '' : 's'} in .jetty/runs/${outcome.id}/results.`, 'Open Run Folder').then((choice) => {
        if (choice && outcome.folder) void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(path.join(outcome.folder, 'results')));
      });
    } else if (outcome.status === 'cancelled') {
      void vscode.window.showInformationMessage(`Jetty: ${name} was cancelled; its sandbox was deleted, and what the agent printed until then is kept.`);
    } else if (outcome.error) {
      showError(outcome.error);
    }
  }

  function showError(error: RunError, afterKeysSet?: () => void): void {
    const buttons = error.actions.map((action) => ({ title: actionTitle(action), action }));
    const text = `Jetty: ${error.message.replace(/\n\s*/g, ' ')} ${error.nextStep}`;
    void vscode.window.showErrorMessage(redact(text), ...buttons).then(async (choice) => {
      if (!choice) return;
      const done = await perform(choice.action);
      if (done && afterKeysSet && choice.action.kind === 'set-key') {
        // Go on once every key the run asked for is there; otherwise the run asks again for the rest.
        afterKeysSet();
      }
    });
  }

  async function cancel(arg?: unknown): Promise<boolean> {
    const id = typeof arg === 'string' ? arg : arg && typeof arg === 'object' && 'id' in arg && typeof arg.id === 'string' ? arg.id : undefined;
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

  async function cleanUp(arg?: unknown): Promise<CleanUpResult> {
    const confirmed = Boolean(arg && typeof arg === 'object' && 'confirmed' in arg && arg.confirmed === true);
    await keyStore.ready;
    const ownRuns = new Set([...live].map((r) => r.runId));
    // The kind of sandbox the settings choose: a Daytona clean-up never touches this machine's temporary folders.
    const local = vscode.workspace.getConfiguration('jetty').get<string>('sandbox') === 'local';
    const daytonaKey = local ? undefined : await keyStore.get('DAYTONA_API_KEY');
    if (!local && !daytonaKey) {
      showError({ message: 'No Daytona API key is set, so Daytona cannot be asked which sandboxes are left.', nextStep: 'Set DAYTONA_API_KEY, then clean up again.', actions: [{ kind: 'set-key', key: 'DAYTONA_API_KEY' }] });
      return { found: 0, deleted: [], error: 'DAYTONA_API_KEY is not set' };
    }
    const settings = providerSettingsFrom((id) => vscode.workspace.getConfiguration().get<string>(id));
    const providers: SandboxProvider[] = [daytonaKey ? createDaytonaProvider({ apiKey: daytonaKey, apiUrl: settings.daytonaApiUrl, target: settings.daytonaTarget }) : createLocalProvider()];
    try {
      const found: { provider: SandboxProvider; id: string }[] = [];
      for (const provider of providers) {
        for (const leftover of await provider.listLeftovers()) {
          // This window's own live runs keep their sandboxes; other windows' runs cannot be told apart from a crash's.
          if (!ownRuns.has(leftover.labels['jetty-run'] ?? '')) found.push({ provider, id: leftover.id });
        }
      }
      if (found.length === 0) {
        void vscode.window.showInformationMessage(`Jetty: no ${local ? 'local sandbox folder' : 'Daytona sandbox'} is left behind.`);
        return { found: 0, deleted: [] };
      }
      if (!confirmed) {
        const choice = await vscode.window.showWarningMessage(
          `Delete ${found.length} sandbox${found.length === 1 ? '' : 'es'} created by Jetty Runbooks?`,
          { modal: true, detail: 'Runs going on in other VS Code windows or terminals lose their sandbox too.' },
          'Delete',
        );
        if (choice !== 'Delete') return { found: found.length, deleted: [] };
      }
      const deleted: string[] = [];
      for (const { provider, id } of found) {
        await provider.deleteLeftover(id);
        deleted.push(id);
      }
      void vscode.window.showInformationMessage(`Jetty: deleted ${deleted.length} sandbox${deleted.length === 1 ? '' : 'es'}.`);
      return { found: found.length, deleted };
    } catch (error) {
      const explained =
        error instanceof SandboxError && (error.kind === 'auth' || error.kind === 'unreachable')
          ? { message: error.message, nextStep: error.nextStep, actions: error.kind === 'auth' ? [{ kind: 'set-key', key: 'DAYTONA_API_KEY' } as const] : [{ kind: 'open-setting', setting: 'jetty.daytona.apiUrl' } as const] }
          : error instanceof SandboxError
            ? { message: error.message, nextStep: error.nextStep, actions: [] }
            : explainUnexpected(error);
      showError(explained);
      return { found: 0, deleted: [], error: redact(explained.message) };
    } finally {
      await Promise.all(providers.map((p) => p.dispose().catch(() => undefined)));
    }
  }

  async function restore(): Promise<void> {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const saved = await loadRuns(path.join(folder.uri.fsPath, RUNS_FOLDER), RESTORED_RUNS);
      // Oldest first: the tree puts each new run on top.
      for (const run of saved.reverse()) await restoreRun(run).catch(() => undefined);
    }
  }

  async function restoreRun({ folder, record }: SavedRun): Promise<void> {
    const file = path.join(folder, TRAJECTORY_FILE);
    const handle = trajectories.startRun({ runbook: record.runbook, agent: record.agent, model: record.model, source: 'file', folder, file, startedAt: Date.parse(record.startedAt) || Date.now(), quiet: true });
    const reader = createTrajectoryReader({
      format: record.agent === 'codex' ? 'codex' : 'claude-code',
      transformLine: redact,
      onEvents: (batch) => handle.append(batch),
    });
    try {
      for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) reader.push(chunk as Buffer);
    } catch {
      // no trajectory (the run failed before the agent started): the record alone says what happened
    }
    reader.end();
    if (record.status === 'running') {
      handle.finish('failed', 'The run did not finish: VS Code or the CLI stopped while it ran. If its sandbox is still there, "Jetty: Clean Up Sandboxes" deletes it.');
    } else {
      handle.finish(record.status, record.error && `${record.error.message} ${record.error.nextStep}`);
    }
  }

  context.subscriptions.push(
    vscode.commands.registerCommand('jetty.runRunbook', (arg?: unknown) =>
      run(arg).catch((error: unknown) => {
        const explained = explainUnexpected(error);
        showError(explained);
        return { status: 'not-started', error: explained } satisfies RunCommandResult;
      }),
    ),
    vscode.commands.registerCommand('jetty.cancelRun', cancel),
    vscode.commands.registerCommand('jetty.cleanUpSandboxes', cleanUp),
  );

  return {
    live: () => [...live].map((r) => ({ trajectoryId: r.trajectoryId ?? '', runId: r.runId, runbook: r.runbook })),
    async stopAll() {
      const runs = [...live];
      for (const r of runs) r.cancel.abort();
      await Promise.allSettled(runs.map((r) => r.done));
    },
    restored: restore().catch(() => undefined),
    restore,
  };
}

/** The runbook to run: the URI a menu, code lens or script passed, else the active editor's document. */
async function runbookDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  let document: vscode.TextDocument | undefined;
  if (arg instanceof vscode.Uri) document = await vscode.workspace.openTextDocument(arg);
  else document = vscode.window.activeTextEditor?.document;
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

async function confirmLocal(context: vscode.ExtensionContext): Promise<boolean> {
  if (context.globalState.get<boolean>(LOCAL_CONFIRMED)) return true;
  const choice = await vscode.window.showWarningMessage(
    'Run the agent on this machine?',
    {
      modal: true,
      detail:
        'jetty.sandbox is "local": the runbook runs in a fresh temporary folder here, not in a Daytona sandbox. The agent gets a shell on your machine with your permissions, and nothing isolates it. You are asked this once.',
    },
    'Run on This Machine',
  );
  if (choice !== 'Run on This Machine') return false;
  await context.globalState.update(LOCAL_CONFIRMED, true);
  return true;
}

function actionTitle(action: RunAction): string {
  switch (action.kind) {
    case 'set-key':
      return `Set ${action.key}`;
    case 'open-setting':
      return 'Open Settings';
    case 'show-problems':
      return 'Show Problems';
    case 'clean-up-sandboxes':
      return 'Clean Up Sandboxes';
    case 'show-output':
      return 'Show Output';
  }
}

/** Takes the action; resolves whether it got done (for set-key: whether the key is set now). */
async function perform(action: RunAction): Promise<boolean> {
  switch (action.kind) {
    case 'set-key': {
      const result = await vscode.commands.executeCommand<{ set?: boolean } | undefined>('jetty.setProviderKey', { name: action.key, kind: action.secret ? 'secret' : 'key' });
      return Boolean(result?.set);
    }
    case 'open-setting':
      await openSetting(action.setting);
      return true;
    case 'show-problems':
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      return true;
    case 'clean-up-sandboxes':
      await vscode.commands.executeCommand('jetty.cleanUpSandboxes');
      return true;
    case 'show-output':
      await vscode.commands.executeCommand('jetty.showOutput');
      return true;
  }
}

function openSetting(id: string): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', id);
}
