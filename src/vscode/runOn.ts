// "Jetty: Run Runbook on…": the open runbook on several agent × model pairs at once (the core's matrix, matrix.ts),
// each its own run in its own sandbox with the same parameters and input files, at most jetty.run.maxConcurrent at a
// time. One progress notification for the whole matrix (its Cancel cancels all); each run is a node of the tree, whose
// Cancel cancels that one. When they have all ended, the comparison opens with a column per run.
import * as vscode from 'vscode';
import { matrixChoices, MatrixError, pairName, parseMatrix, prepareMatrix, runMatrix } from '../core/run/matrix';
import type { MatrixPair } from '../core/run/matrix';
import type { PreparedRun } from '../core/run/prepare';
import type { RunOutcome } from '../core/run/runner';
import { explainUnexpected } from '../core/run/errors';
import type { ComparisonsApi } from './comparison';
import { showRunError } from './runNotifications';
import { resultOf, type RunCommandResult, type RunLauncher } from './runCommand';
import type { TrajectoriesApi } from './trajectories';
import type { Run } from './trajectoryTree';

/** What "Run Runbook on…" resolves to (for tests and scripts). */
export interface MatrixCommandResult {
  /** `done`: the runs ended (each says how); `blocked`: a pair cannot run, none started; `not-started`: declined. */
  status: 'done' | 'blocked' | 'not-started';
  runs: (RunCommandResult & { pair: string })[];
  /** The comparison's run ids, when it opened. */
  compared?: string[];
}

export function registerRunOn(
  context: vscode.ExtensionContext,
  deps: {
    launcher: RunLauncher;
    trajectories: TrajectoriesApi;
    comparisons: ComparisonsApi;
    redact: (text: string) => string;
  },
): void {
  const { launcher, trajectories, comparisons, redact } = deps;

  async function runOn(arg?: unknown): Promise<MatrixCommandResult> {
    const ctx = await launcher.gather(arg, false);
    if (!('sources' in ctx)) return { status: 'not-started', runs: [] };
    const pairs = await pickPairs(arg, ctx.sources.text);
    if (!pairs) return { status: 'not-started', runs: [] };

    const ready = await prepareMatrix(ctx.sources, pairs);
    const first = ready.find((r) => !r.prepared.ok);
    if (first && !first.prepared.ok) {
      // None starts while a pair cannot: its key or its lint error is the user's to see to first, then all go again.
      const again = () =>
        void vscode.commands.executeCommand('jetty.runRunbookOn', {
          runbook: ctx.document.uri,
          pairs: pairs.map(pairName),
        });
      const result = launcher.blocked(ctx, first.prepared.blocked, again, pairName(first.pair));
      return { status: 'blocked', runs: [{ ...result, pair: pairName(first.pair) }] };
    }
    const runs = ready.map((r) => r.prepared as Extract<PreparedRun, { ok: true }>);
    const title = `Jetty: ${ctx.name} on ${pairs.length} agents × models`;
    const results = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        let ended = 0;
        const matrix = runMatrix(runs.length, ctx.settings.maxConcurrent, async (i, signal) => {
          const outcome = await launcher.launch(ctx, runs[i]!, { signal });
          progress.report({
            message: `${++ended} of ${runs.length} ended (${pairName(pairs[i]!)}: ${outcome.status})`,
          });
          return outcome;
        });
        token.onCancellationRequested(() => matrix.cancelAll());
        return matrix.done;
      },
    );

    const outcomes = results.map((r) => r.value).filter((o): o is RunOutcome => o !== undefined);
    const compared = outcomes.map((o) => trajectories.tree.find(o.trajectoryId)).filter((r): r is Run => Boolean(r));
    const view = compared.length >= 2 ? comparisons.open(compared) : undefined;
    const counts = new Map<string, number>();
    for (const r of results) {
      const status = r.value?.status ?? (r.status === 'cancelled' ? 'cancelled' : 'failed');
      counts.set(status, (counts.get(status) ?? 0) + 1);
    }
    void vscode.window.showInformationMessage(
      `Jetty: ${ctx.name} ran on ${pairs.length} agents × models: ${[...counts].map(([status, n]) => `${n} ${status}`).join(', ')}.`,
    );
    return {
      status: 'done',
      runs: results.map((r, i) => ({
        pair: pairName(pairs[i]!),
        ...(r.value ? resultOf(r.value) : { status: r.status === 'cancelled' ? 'cancelled' : 'failed' }),
      })),
      ...(view ? { compared: view.runs.map((run) => run.id) } : {}),
    };
  }

  /** The pairs a script gave (`{ pairs: ['codex:gpt-5.4', …] }`), else the ones the user picks. */
  async function pickPairs(arg: unknown, text: string): Promise<MatrixPair[] | undefined> {
    const given = arg && typeof arg === 'object' && 'pairs' in arg ? (arg as { pairs: unknown }).pairs : undefined;
    if (Array.isArray(given)) {
      try {
        return parseMatrix(given.map(String).join(','));
      } catch (error) {
        if (!(error instanceof MatrixError)) throw error;
        void vscode.window.showErrorMessage(`Jetty: ${error.message}. Nothing was started.`);
        return undefined;
      }
    }
    const choices = matrixChoices(text);
    const picked = await vscode.window.showQuickPick(
      choices.map((c) => ({
        label: `${c.pair.agent} · ${c.pair.model}`,
        description: c.why,
        picked: c.own,
        pair: c.pair,
      })),
      {
        title: 'Jetty: Run Runbook on…',
        placeHolder: 'The agents and models to run it on, each in its own sandbox',
        canPickMany: true,
      },
    );
    if (!picked?.length) return undefined;
    return picked.map((p) => p.pair);
  }

  context.subscriptions.push(
    vscode.commands.registerCommand('jetty.runRunbookOn', (arg?: unknown) =>
      runOn(arg).catch((error: unknown): MatrixCommandResult => {
        showRunError(explainUnexpected(error), redact);
        return { status: 'not-started', runs: [] };
      }),
    ),
  );
}
