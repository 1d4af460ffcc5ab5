// "Jetty: Open Run": a webview panel per run (view type jetty.run), live while it runs, where a user reads one run
// whole: its header, timeline and results. The content comes from the core's page model (src/core/view/runPage.ts)
// and is laid out by dist/webview/runView.js. After a reload the serializer finds the run again from its folder (or
// its log file).
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { readRunRecord } from '../core/run/runs';
import {
  packRow,
  type PackedRow,
  type Preview,
  type RunViewMessage,
  type RunViewRequest,
  type RunViewState,
} from '../core/view/protocol';
import { detailOf, resultsView, runHeader, timelineRow, turnChart, type ResultFile } from '../core/view/runPage';
import type { TrajectoriesApi } from './trajectories';
import { Run, type TrajectoryNode } from './trajectoryTree';
import { pageHtml, resourceRoots } from './webview';

export const RUN_VIEW_TYPE = 'jetty.run';
/**
 * Rows go over in batches of ROWS_PER_MESSAGE, one per turn of the event loop, as the tree's coalesced refreshes report
 * new events, so 100,000 events neither stall the extension host nor flood the webview.
 */
const ROWS_PER_MESSAGE = 250;
/** Between two batches of rows. */
const BATCH_PAUSE_MS = 4;
/** The start of a result file shown in the view; the editor shows the rest. */
const PREVIEW_BYTES = 256 * 1024;
const PREVIEWS = 3;

const BODY = `<header id="header">
  <div id="title"></div>
  <div id="facts"></div>
  <div id="figures"></div>
  <div id="error"></div>
</header>
<main>
  <section id="events" aria-label="Timeline">
    <div class="toolbar">
      <input id="search" type="search" placeholder="Search events" aria-label="Search events">
      <div id="filters" role="group" aria-label="Show"></div>
      <span id="count"></span>
    </div>
    <div id="timeline"><div id="spacer"></div><div id="rows" role="list"></div></div>
  </section>
  <aside>
    <section id="chart"></section>
    <section id="results"></section>
  </aside>
</main>`;

export interface RunViewsApi {
  /** Opens (or reveals) the run's view. */
  open(run: Run): RunView;
  /** What the serializer does after a reload: shows the run a panel's saved state names in it, found again from its
   * folder or log file; when it is gone, the panel says so. */
  restore(panel: vscode.WebviewPanel, state: RunViewState): Promise<RunView | undefined>;
  /** The open views, by run id. */
  readonly views: ReadonlyMap<string, RunView>;
}

export function registerRunViews(
  context: vscode.ExtensionContext,
  trajectories: TrajectoriesApi,
  redact: (text: string) => string,
): RunViewsApi {
  const views = new Map<string, RunView>();

  const attach = (panel: vscode.WebviewPanel, run: Run): RunView => {
    const view = new RunView(panel, run, context.extensionUri, redact);
    views.set(run.id, view);
    panel.onDidDispose(() => views.delete(run.id));
    return view;
  };

  function open(run: Run): RunView {
    const existing = views.get(run.id);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    // No retainContextWhenHidden: a run's rows can be tens of megabytes. A hidden panel lets its page go and is sent
    // everything again when shown; the page keeps its scroll, filter and unfolded rows with setState().
    const panel = vscode.window.createWebviewPanel(RUN_VIEW_TYPE, panelTitle(run), vscode.ViewColumn.Active, {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: roots(context.extensionUri, run),
    });
    return attach(panel, run);
  }

  /** The run a command was given: a tree node, a run id, a run folder; else the tree's selection, else one to pick. */
  async function target(arg: unknown): Promise<Run | undefined> {
    if (arg instanceof Run) return arg;
    const node = arg as TrajectoryNode | undefined;
    if (node && typeof node === 'object' && 'run' in node && node.run instanceof Run) return node.run;
    if (typeof arg === 'string') {
      const byId = trajectories.tree.find(arg);
      if (byId) return byId;
      const record = await readRunRecord(arg);
      if (record) return trajectories.restoreRun({ folder: arg, record });
      void vscode.window.showWarningMessage(`Jetty: there is no run ${arg} to open.`);
      return undefined;
    }
    const selected = trajectories.view.selection[0];
    if (selected) return selected instanceof Run ? selected : selected.run;
    const runs = trajectories.tree.runs;
    if (runs.length === 0) {
      void vscode.window.showInformationMessage('Jetty: no run to open yet. Run a runbook, or open a trajectory log.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      runs.map((run) => ({ label: run.title, description: describe(run), run })),
      { title: 'Jetty: Open Run', placeHolder: 'Which run to open' },
    );
    return picked?.run;
  }

  async function restore(panel: vscode.WebviewPanel, state: RunViewState): Promise<RunView | undefined> {
    const run = await findAgain(trajectories, state);
    if (!run) {
      // Scripts on, though the page has none (its CSP allows none): VS Code gives a page without them no frame to read.
      panel.webview.options = { enableScripts: true, localResourceRoots: [] };
      panel.webview.html = gonePage(state);
      return undefined;
    }
    panel.webview.options = { enableScripts: true, localResourceRoots: roots(context.extensionUri, run) };
    panel.title = panelTitle(run);
    return attach(panel, run);
  }

  context.subscriptions.push(
    vscode.commands.registerCommand('jetty.openRun', async (arg?: unknown) => {
      const run = await target(arg);
      return run ? open(run).run.id : undefined;
    }),
    trajectories.onDidChangeRuns((runs) => {
      for (const run of runs) views.get(run.id)?.update();
    }),
    vscode.window.registerWebviewPanelSerializer(RUN_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, saved: unknown) =>
        void (await restore(panel, (saved ?? {}) as RunViewState)),
    }),
    { dispose: () => [...views.values()].forEach((v) => v.panel.dispose()) },
  );
  return { open, restore, views };
}

/** The run a restored panel showed: in the tree already, or put back from its folder, or its log opened again. */
async function findAgain(trajectories: TrajectoriesApi, state: RunViewState): Promise<Run | undefined> {
  if (state.folder) {
    const here = path.resolve(state.folder);
    const inTree = trajectories.tree.runs.find((r) => r.info.folder && path.resolve(r.info.folder) === here);
    if (inTree) return inTree;
    const record = await readRunRecord(state.folder);
    return record ? trajectories.restoreRun({ folder: state.folder, record }) : undefined;
  }
  if (state.file) {
    const inTree = trajectories.tree.runs.find((r) => r.info.file === state.file);
    if (inTree) return inTree;
    try {
      const id = await trajectories.openLog(vscode.Uri.file(state.file));
      return trajectories.tree.find(id);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** One run's panel: what it has sent, and what it sends next. */
export class RunView {
  /** Rows the page has (the page asks for everything again when it reloads). */
  private sent = 0;
  /** Rows sent while their call or command had no outcome: sent again once it arrives. */
  private readonly waiting = new Set<number>();
  private ready = false;
  private sending = false;
  private lastHeader = '';
  private lastResults = '';
  private clock: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly run: Run,
    private readonly extensionUri: vscode.Uri,
    private readonly redact: (text: string) => string,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'jetty.svg');
    panel.webview.html = pageHtml(panel.webview, extensionUri, { script: 'runView', title: run.title, body: BODY });
    panel.webview.onDidReceiveMessage((message: RunViewRequest) => void this.receive(message));
    // A hidden panel's page is gone: it says `ready` again when shown.
    panel.onDidChangeViewState(() => {
      if (!panel.visible) this.ready = false;
    });
    panel.onDidDispose(() => clearInterval(this.clock));
  }

  /** The run changed (events, status, record): sends what the page does not have yet. */
  update(): void {
    if (!this.ready) return;
    this.sendHeader();
    this.sendRows();
    this.sendUpdates();
    void this.sendResults();
  }

  private async receive(message: RunViewRequest): Promise<void> {
    switch (message.type) {
      case 'ready': {
        this.ready = true;
        this.sent = 0;
        this.waiting.clear();
        this.lastResults = '';
        const header = runHeader(this.run);
        this.lastHeader = JSON.stringify(header);
        this.post({
          type: 'run',
          header,
          chart: turnChart(this.run),
          results: resultsView(this.run),
          ...(this.run.info.folder ? { folder: this.run.info.folder } : {}),
          ...(this.run.info.file && !this.run.info.folder ? { file: this.run.info.file } : {}),
        });
        this.sendRows();
        await this.sendResults();
        // A live run's duration goes on while no event arrives.
        clearInterval(this.clock);
        if (this.run.status === 'running') this.clock = setInterval(() => this.tick(), 1000);
        return;
      }
      case 'detail': {
        const entry = this.run.entries.list[message.index];
        if (entry) this.post({ type: 'detail', index: message.index, text: this.redact(detailOf(entry)) });
        return;
      }
      case 'open-file': {
        const file = this.resultFile(message.file);
        if (file) await vscode.commands.executeCommand('vscode.open', file);
        return;
      }
      case 'open-folder':
        if (this.run.info.folder)
          await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(this.run.info.folder));
        return;
      case 'open-event': {
        const entry = this.run.entries.list[message.index];
        if (entry)
          await vscode.commands.executeCommand('jetty.trajectory.open', { type: 'entry', run: this.run, entry });
        return;
      }
    }
  }

  private tick(): void {
    if (this.run.status !== 'running') clearInterval(this.clock);
    if (this.ready) this.sendHeader();
  }

  private sendHeader(): void {
    const header = runHeader(this.run);
    const text = JSON.stringify(header);
    if (text === this.lastHeader) return;
    this.lastHeader = text;
    this.post({ type: 'header', header, chart: turnChart(this.run) });
  }

  /** New rows, a batch at a time, each on its own turn of the event loop after a pause: the extension host writes each
   * message to the workbench before making the next, and the page parses each in its own task, between frames. */
  private sendRows(): void {
    if (this.sending) return;
    this.sending = true;
    const step = () => {
      const list = this.run.entries.list;
      if (!this.ready || this.sent >= list.length) {
        this.sending = false;
        return;
      }
      const from = this.sent;
      const to = Math.min(list.length, from + ROWS_PER_MESSAGE);
      const rows: PackedRow[] = [];
      const ended = this.run.status !== 'running';
      for (let i = from; i < to; i++) {
        const row = timelineRow(list[i]!, ended);
        if (row.tone === 'pending') this.waiting.add(i);
        rows.push(packRow(row));
      }
      this.sent = to;
      this.post({ type: 'rows', rows });
      setTimeout(step, BATCH_PAUSE_MS);
    };
    step();
  }

  /** Rows sent while waiting for their outcome, once it came, or once the run ended without it. */
  private sendUpdates(): void {
    const ended = this.run.status !== 'running';
    const rows = [];
    for (const index of this.waiting) {
      const entry = this.run.entries.list[index];
      if (!entry || (!entry.outcome && !ended)) continue;
      this.waiting.delete(index);
      rows.push(packRow(timelineRow(entry, ended)));
    }
    if (rows.length) this.post({ type: 'update', rows });
  }

  /** The results list and previews, when they changed (a live run's come home at its end). */
  private async sendResults(): Promise<void> {
    const results = resultsView(this.run);
    const key = JSON.stringify([results, this.run.record?.finishedAt]);
    if (key === this.lastResults) return;
    this.lastResults = key;
    const previews: Preview[] = [];
    for (const file of results.files.filter((f) => f.role === 'main' || f.role === 'summary').slice(0, PREVIEWS))
      previews.push(await this.preview(file));
    if (this.ready) this.post({ type: 'results', results, previews });
  }

  private async preview(file: ResultFile): Promise<Preview> {
    const uri = this.resultFile(file.path);
    if (!uri || file.preview === 'open') return { file: file.path, kind: 'open' };
    if (file.preview === 'image')
      return { file: file.path, kind: 'image', src: this.panel.webview.asWebviewUri(uri).toString() };
    const { text, truncated } = await readStart(uri.fsPath);
    if (text === undefined) return { file: file.path, kind: 'open' };
    const clean = this.redact(text);
    if (file.preview === 'markdown') {
      try {
        const html = await vscode.commands.executeCommand<string>('markdown.api.render', clean);
        if (typeof html === 'string') return { file: file.path, kind: 'markdown', html };
      } catch {
        // VS Code's markdown extension is off: the text as it is
      }
      return { file: file.path, kind: 'text', text: clean, truncated };
    }
    if (file.preview === 'json' && !truncated) {
      try {
        return { file: file.path, kind: 'json', text: JSON.stringify(JSON.parse(clean), null, 2), truncated };
      } catch {
        // not JSON after all: shown as text
      }
    }
    return { file: file.path, kind: 'text', text: clean, truncated };
  }

  /** A result file of this run, by its path in results/: only files the run lists, so a page cannot open others. */
  private resultFile(file: string): vscode.Uri | undefined {
    const folder = this.run.resultsFolder;
    if (!folder || !this.run.results.includes(file)) return undefined;
    return vscode.Uri.file(path.join(folder, ...file.split('/')));
  }

  private post(message: RunViewMessage): void {
    void this.panel.webview.postMessage(message);
  }
}

function roots(extensionUri: vscode.Uri, run: Run): vscode.Uri[] {
  return resourceRoots(extensionUri, run.resultsFolder ? [vscode.Uri.file(run.resultsFolder)] : []);
}

function panelTitle(run: Run): string {
  const what = [run.info.agent, run.info.model].filter(Boolean).join(' · ');
  return what ? `${run.title} (${what})` : run.title;
}

function describe(run: Run): string {
  return [run.info.agent, run.info.model, run.status].filter(Boolean).join(' · ');
}

async function readStart(file: string): Promise<{ text?: string; truncated: boolean }> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(file, 'r');
    const buffer = Buffer.alloc(PREVIEW_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const truncated = bytesRead > PREVIEW_BYTES;
    return { text: buffer.subarray(0, Math.min(bytesRead, PREVIEW_BYTES)).toString('utf8'), truncated };
  } catch {
    return { truncated: false };
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function gonePage(state: RunViewState): string {
  const name = (state.title ?? 'This run').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body data-view="gone"><p>${name} is no longer available: its run folder was removed.</p></body></html>`;
}
