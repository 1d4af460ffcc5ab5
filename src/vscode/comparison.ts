// "Jetty: Compare Runs": a webview panel (view type jetty.compare) with a column per run, so runs of one runbook on
// several agents or models can be read side by side. Built by the core's compareRuns() and laid out by
// dist/webview/comparison.js; follows live runs as they go. After a reload the serializer puts the runs back from their
// folders.
import path from 'node:path';
import * as vscode from 'vscode';
import { readRunRecord } from '../core/run/runs';
import { compareRuns } from '../core/view/comparison';
import type { ComparisonMessage, ComparisonRequest, ComparisonState } from '../core/view/protocol';
import type { TrajectoriesApi } from './trajectories';
import { Run, type TrajectoryNode } from './trajectoryTree';
import { pageHtml, resourceRoots } from './webview';

export const COMPARISON_VIEW_TYPE = 'jetty.compare';
const REFRESH_MS = 500;

export interface ComparisonsApi {
  /** Opens a comparison of these runs (two or more). */
  open(runs: readonly Run[]): ComparisonView;
  /** What the serializer does after a reload: the runs of a panel's saved state, put back from their folders. */
  restore(panel: vscode.WebviewPanel, state: Partial<ComparisonState>): Promise<ComparisonView>;
  readonly views: ReadonlySet<ComparisonView>;
}

export function registerComparisons(
  context: vscode.ExtensionContext,
  trajectories: TrajectoriesApi,
  redact: (text: string) => string,
): ComparisonsApi {
  const views = new Set<ComparisonView>();

  const attach = (panel: vscode.WebviewPanel, runs: readonly Run[]) => {
    const view = new ComparisonView(panel, runs, context.extensionUri, redact);
    views.add(view);
    panel.onDidDispose(() => views.delete(view));
    return view;
  };

  function open(runs: readonly Run[]): ComparisonView {
    const panel = vscode.window.createWebviewPanel(COMPARISON_VIEW_TYPE, title(runs), vscode.ViewColumn.Active, {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: resourceRoots(context.extensionUri),
    });
    return attach(panel, runs);
  }

  /** The runs a command was given: the tree's selection (past, live or opened logs; VS Code passes the clicked node and
   * all selected ones), or run ids and folders from a script or a matrix run; too few, and the user picks more. */
  async function runsOf(clicked: unknown, selected: unknown): Promise<Run[] | undefined> {
    const given = Array.isArray(selected) ? selected : Array.isArray(clicked) ? clicked : clicked ? [clicked] : [];
    const runs: Run[] = [];
    for (const item of given) {
      const run = await runOf(item);
      if (run && !runs.includes(run)) runs.push(run);
    }
    if (runs.length >= 2) return runs;
    const candidates = trajectories.tree.runs;
    if (candidates.length < 2) {
      void vscode.window.showInformationMessage(
        'Jetty: comparing needs two or more runs. Run a runbook on several agents or models ("Jetty: Run Runbook on…"), or open past runs.',
      );
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      candidates.map((run) => ({
        label: run.title,
        description: [run.info.agent, run.info.model, run.status].filter(Boolean).join(' · '),
        picked: runs.includes(run),
        run,
      })),
      { title: 'Jetty: Compare Runs', placeHolder: 'Pick two or more runs', canPickMany: true },
    );
    if (!picked) return undefined;
    if (picked.length < 2) {
      void vscode.window.showInformationMessage('Jetty: pick two or more runs to compare.');
      return undefined;
    }
    return picked.map((p) => p.run);
  }

  async function runOf(item: unknown): Promise<Run | undefined> {
    if (item instanceof Run) return item;
    const node = item as TrajectoryNode | undefined;
    if (node && typeof node === 'object' && 'run' in node && node.run instanceof Run) return node.run;
    if (typeof item !== 'string') return undefined;
    const byId = trajectories.tree.find(item);
    if (byId) return byId;
    const record = await readRunRecord(item);
    return record ? trajectories.restoreRun({ folder: item, record }) : undefined;
  }

  async function restore(panel: vscode.WebviewPanel, state: Partial<ComparisonState>): Promise<ComparisonView> {
    const runs: Run[] = [];
    for (const folder of state.folders ?? []) {
      const run = await runOf(path.resolve(folder));
      if (run) runs.push(run);
    }
    panel.webview.options = { enableScripts: true, localResourceRoots: resourceRoots(context.extensionUri) };
    panel.title = title(runs);
    return attach(panel, runs);
  }

  context.subscriptions.push(
    vscode.commands.registerCommand('jetty.compareRuns', async (clicked?: unknown, selected?: unknown) => {
      const runs = await runsOf(clicked, selected);
      return runs ? open(runs).runs.map((r) => r.id) : undefined;
    }),
    trajectories.onDidChangeRuns((changed) => {
      for (const view of views) if (view.runs.some((r) => changed.includes(r))) view.changed();
    }),
    vscode.window.registerWebviewPanelSerializer(COMPARISON_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, saved: unknown) =>
        void (await restore(panel, (saved ?? {}) as Partial<ComparisonState>)),
    }),
    { dispose: () => [...views].forEach((v) => v.panel.dispose()) },
  );
  return { open, restore, views };
}

export class ComparisonView {
  private ready = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly runs: readonly Run[],
    extensionUri: vscode.Uri,
    private readonly redact: (text: string) => string,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'jetty.svg');
    panel.webview.html = pageHtml(panel.webview, extensionUri, {
      script: 'comparison',
      title: 'Compare runs',
      body: '<div id="comparison"></div>',
    });
    panel.webview.onDidReceiveMessage((message: ComparisonRequest) => void this.receive(message));
    panel.onDidChangeViewState(() => {
      if (!panel.visible) this.ready = false;
    });
    panel.onDidDispose(() => clearTimeout(this.timer));
  }

  /** One of its runs changed: the comparison is sent again, at most every REFRESH_MS. */
  changed(): void {
    if (this.ready) this.timer ??= setTimeout(() => this.send(), REFRESH_MS);
  }

  private send(): void {
    this.timer = undefined;
    if (!this.ready) return;
    const comparison = compareRuns(this.runs);
    // Commands quote what agents typed, which may hold a key pasted into a runbook.
    for (const row of comparison.commands) row.command = this.redact(row.command);
    const message: ComparisonMessage = { type: 'comparison', comparison };
    void this.panel.webview.postMessage(message);
  }

  private async receive(message: ComparisonRequest): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.send();
        return;
      case 'diff': {
        const left = this.file(message.left, message.file);
        const right = this.file(message.right, message.file);
        if (!left || !right) return;
        const name = (i: number) => `${this.runs[i]!.title} (${this.runs[i]!.info.agent ?? '?'})`;
        await vscode.commands.executeCommand(
          'vscode.diff',
          left,
          right,
          `${message.file}: ${name(message.left)} ↔ ${name(message.right)}`,
        );
        return;
      }
      case 'open-file': {
        const file = this.file(message.column, message.file);
        if (file) await vscode.commands.executeCommand('vscode.open', file);
        return;
      }
      case 'open-run': {
        const run = this.runs[message.column];
        if (run) await vscode.commands.executeCommand('jetty.openRun', run);
        return;
      }
    }
  }

  /** A result file of one column's run, only if that run lists it. */
  private file(column: number, file: string): vscode.Uri | undefined {
    const run = this.runs[column];
    const folder = run?.resultsFolder;
    if (!folder || !run.results.includes(file)) return undefined;
    return vscode.Uri.file(path.join(folder, ...file.split('/')));
  }
}

function title(runs: readonly Run[]): string {
  const names = [...new Set(runs.map((r) => r.title))];
  return `Compare: ${names.length === 1 ? names[0] : `${runs.length} runs`} (${runs.length})`;
}
