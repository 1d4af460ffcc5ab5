// The "Jetty Trajectories" tree (view jetty.trajectories), where a user follows what an agent did: a root node per
// run, live or opened from a file, with its status and figures, and under it the run's entries
// (src/core/trajectory/entries.ts) with their outcomes and output. Built to stay responsive at 100,000 events.
import path from 'node:path';
import * as vscode from 'vscode';
import { describeEval, type ReportStage } from '../core/run/evaluation';
import { RunModel } from '../core/run/model';
import { RunEntries, type Entry } from '../core/trajectory/entries';
import type { TrajectoryEvent } from '../core/trajectory/events';
import { describeToolCall, formatCost, formatDuration, formatEvent } from '../core/trajectory/format';
import type { EndStatus } from '../core/trajectory/trajectories';
import { clip, firstLine } from '../core/text';

/**
 * A run lists its first PAGE_SIZE entries, then a page node for each further PAGE_SIZE. The shape only ever grows at
 * the end: what a live run already shows never moves into a page, so nothing expanded collapses and the view does not
 * jump, and no single getChildren call is huge.
 */
export const PAGE_SIZE = 1000;
/**
 * Changes are coalesced, at most one refresh per REFRESH_MS (~10 a second), and only what changed is refreshed: the
 * page that got entries, or the run when its own item or its first PAGE_SIZE entries changed. (VS Code re-fetches the
 * children of whatever is refreshed, and of their expanded children, so refreshing the run for every event would
 * re-send everything expanded under it ten times a second.)
 */
const REFRESH_MS = 100;
const LABEL_MAX = 160;

/** A run in the tree: the core's run model, plus what the tree remembers of what it showed. */
export class Run extends RunModel {
  /** Page nodes (pages[0] is page 1: entries PAGE_SIZE to 2×PAGE_SIZE-1), created once each, so VS Code can refresh
   * one of them alone and keeps their expansion state. */
  readonly pages: PageNode[] = [];
  /** What VS Code was last given: the run item's look (runLook) and how many page nodes the run listed. */
  readonly shown = { look: '', pages: 0 };
}

export interface PageNode {
  type: 'page';
  run: Run;
  /** 1-based: page 0 is the run's own first PAGE_SIZE entries. */
  page: number;
}
export interface EntryNode {
  type: 'entry';
  run: Run;
  entry: Entry;
}
/** The output of a call or command, or the text of a thinking block, shown under it. */
export interface DetailNode {
  type: 'detail';
  run: Run;
  entry: Entry;
}
/** What came home, as Jetty shows it: the main output, summary.md, then the report's stages; first under the run. */
export interface ResultsNode {
  type: 'results';
  run: Run;
}
export interface ResultNode {
  type: 'result';
  run: Run;
  /** A file under results/ (the main output, summary.md), or one stage of validation_report.json. */
  file?: string;
  stage?: ReportStage;
}
export type TrajectoryNode = Run | PageNode | EntryNode | DetailNode | ResultsNode | ResultNode;

export const SUMMARY_FILE = 'summary.md';

/** The run's results in the order Jetty's UI shows them: its main outputs, summary.md, the report's stages. */
export function resultNodes(run: Run): ResultNode[] {
  const files = [...run.primaryFiles, ...(run.results.includes(SUMMARY_FILE) ? [SUMMARY_FILE] : [])];
  return [
    ...[...new Set(files)].map((file): ResultNode => ({ type: 'result', run, file })),
    ...(run.report?.stages ?? []).map((stage): ResultNode => ({ type: 'result', run, stage })),
  ];
}

const STAGE_ICONS: Record<ReportStage['outcome'], vscode.ThemeIcon> = {
  pass: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  partial: new vscode.ThemeIcon('warning', new vscode.ThemeColor('testing.iconQueued')),
  fail: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  unknown: new vscode.ThemeIcon('circle-outline'),
};

const STATUS_ICONS: Record<Run['status'], vscode.ThemeIcon> = {
  running: new vscode.ThemeIcon('loading~spin'),
  unfinished: new vscode.ThemeIcon('debug-disconnect'),
  succeeded: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  cancelled: new vscode.ThemeIcon('circle-slash'),
  'timed out': new vscode.ThemeIcon('watch', new vscode.ThemeColor('testing.iconFailed')),
};

/** Nodes are created only when VS Code asks for them (getChildren/getTreeItem), never per event. */
export class TrajectoryTreeProvider implements vscode.TreeDataProvider<TrajectoryNode>, vscode.Disposable {
  readonly runs: Run[] = [];
  private readonly changed = new vscode.EventEmitter<TrajectoryNode | TrajectoryNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly refreshed = new vscode.EventEmitter<readonly Run[]>();
  /** Fires after each coalesced refresh was handed to VS Code, with the runs that changed (for their documents). */
  readonly onDidRefresh = this.refreshed.event;
  /** Runs that changed, with the pages of each that got new or changed entries (0: the run's own first entries). */
  private dirty = new Map<Run, Set<number>>();
  private rootDirty = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** Adds a run in its place, newest first by start time (a run restored from disk goes below newer and live ones). */
  add(run: Run): void {
    const at = this.runs.findIndex((r) => r.info.startedAt <= run.info.startedAt);
    this.runs.splice(at < 0 ? this.runs.length : at, 0, run);
    this.rootDirty = true;
    this.schedule();
  }

  remove(run: Run): void {
    const at = this.runs.indexOf(run);
    if (at < 0) return;
    this.runs.splice(at, 1);
    this.dirty.delete(run);
    this.rootDirty = true;
    this.schedule();
  }

  find(id: string): Run | undefined {
    return this.runs.find((r) => r.id === id);
  }

  /** Says what changed in a run: the entries from index `from` on are new, `changed` entries got their outcome; its
   * status or figures changed too, perhaps (found by comparing its item with what VS Code was given). */
  changedRun(run: Run, from = run.entries.list.length, changed: readonly Entry[] = []): void {
    let pages = this.dirty.get(run);
    if (!pages) this.dirty.set(run, (pages = new Set()));
    const end = run.entries.list.length;
    if (from < end) for (let p = pageOf(from); p <= pageOf(end - 1); p++) pages.add(p);
    for (const entry of changed) pages.add(pageOf(entry.index));
    this.schedule();
  }

  /** Resolves once nothing is waiting to be refreshed. */
  async idle(): Promise<void> {
    while (this.timer) {
      await new Promise<void>((resolve) => {
        const listener = this.onDidRefresh(() => {
          listener.dispose();
          resolve();
        });
      });
    }
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.fire(), REFRESH_MS);
  }

  private fire(): void {
    this.timer = undefined;
    const runs = [...this.dirty.keys()].filter((r) => this.runs.includes(r));
    if (this.rootDirty) this.changed.fire(undefined);
    else {
      const nodes: TrajectoryNode[] = [];
      for (const run of runs) {
        const pages = this.dirty.get(run)!;
        if (pages.has(0) || runLook(run) !== run.shown.look || pageCount(run) !== run.shown.pages) nodes.push(run);
        else for (const p of pages) if (run.pages[p - 1]) nodes.push(run.pages[p - 1]!);
      }
      if (nodes.length) this.changed.fire(nodes);
    }
    this.rootDirty = false;
    this.dirty = new Map();
    this.refreshed.fire(runs);
  }

  getChildren(node?: TrajectoryNode): TrajectoryNode[] {
    if (!node) return this.runs;
    if (node instanceof Run) {
      const count = pageCount(node);
      for (let page = node.pages.length + 1; page <= count; page++) node.pages.push({ type: 'page', run: node, page });
      node.shown.pages = count;
      const results: TrajectoryNode[] = resultNodes(node).length ? [{ type: 'results', run: node }] : [];
      return [...results, ...entryNodes(node, 0), ...node.pages.slice(0, count)];
    }
    if (node.type === 'results') return resultNodes(node.run);
    if (node.type === 'page') return entryNodes(node.run, node.page);
    if (node.type === 'entry' && hasDetail(node.entry)) return [{ type: 'detail', run: node.run, entry: node.entry }];
    return [];
  }

  getParent(node: TrajectoryNode): TrajectoryNode | undefined {
    if (node instanceof Run) return undefined;
    if (node.type === 'page' || node.type === 'results') return node.run;
    if (node.type === 'result') return { type: 'results', run: node.run };
    if (node.type === 'detail') return { type: 'entry', run: node.run, entry: node.entry };
    const page = pageOf(node.entry.index);
    return page === 0 ? node.run : node.run.pages[page - 1];
  }

  getTreeItem(node: TrajectoryNode): vscode.TreeItem {
    if (node instanceof Run) return this.runItem(node);
    if (node.type === 'page') {
      const from = node.page * PAGE_SIZE;
      const to = Math.min(node.run.entries.list.length, from + PAGE_SIZE);
      const item = new vscode.TreeItem(`Events ${from + 1}–${to}`, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `${node.run.id}/p${node.page}`;
      item.contextValue = 'page';
      return item;
    }
    if (node.type === 'detail') return this.detailItem(node);
    if (node.type === 'results') return resultsItem(node.run);
    if (node.type === 'result') return resultItem(node);
    return this.entryItem(node);
  }

  private runItem(run: Run): vscode.TreeItem {
    const item = new vscode.TreeItem(run.title, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = run.id;
    // The agent finishing is not the run passing: its own report saying it failed shows on the run.
    item.iconPath = run.evaluation?.overall_passed === false ? EVALUATION_FAILED : STATUS_ICONS[run.status];
    item.description = runDescription(run);
    run.shown.look = runLook(run);
    const kind = run.status === 'running' ? 'running' : run.info.source === 'file' ? 'opened' : 'finished';
    item.contextValue = `run.${kind}${run.info.folder ? '.saved' : ''}`;
    item.command = { command: 'jetty.trajectory.open', title: 'Open', arguments: [run] };
    return item;
  }

  private entryItem(node: EntryNode): vscode.TreeItem {
    const { entry } = node;
    const e = entry.event;
    const collapsible = hasDetail(entry)
      ? vscode.TreeItemCollapsibleState.Collapsed
      : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(entryLabel(e), collapsible);
    item.id = `${node.run.id}/${entry.index}`;
    item.iconPath = entryIcon(entry);
    item.description = e.kind === 'thinking' ? 'thinking' : undefined;
    item.contextValue = `event.${e.kind}`;
    item.tooltip = `line ${e.line}`;
    item.command = { command: 'jetty.trajectory.open', title: 'Open', arguments: [node] };
    return item;
  }

  private detailItem(node: DetailNode): vscode.TreeItem {
    const { entry } = node;
    const e = entry.event;
    const o = entry.outcome;
    let text = '';
    if (e.kind === 'thinking') text = e.text;
    else if (o?.kind === 'tool-result') text = o.output;
    else if (o?.kind === 'command-completed') text = o.output;
    else if (e.kind === 'command-completed' || e.kind === 'tool-result') text = e.output;
    const item = new vscode.TreeItem(firstLine(text) || '(no output)', vscode.TreeItemCollapsibleState.None);
    item.id = `${node.run.id}/${entry.index}/detail`;
    item.iconPath = new vscode.ThemeIcon(e.kind === 'thinking' ? 'note' : 'output');
    item.contextValue = 'event.detail';
    item.command = { command: 'jetty.trajectory.open', title: 'Open', arguments: [node] };
    return item;
  }

  /** A run's tooltip is made when it is hovered, not at every refresh: its counts change with every event. */
  resolveTreeItem(item: vscode.TreeItem, node: TrajectoryNode): vscode.TreeItem {
    if (!(node instanceof Run)) return item;
    const s = node.summary.summary;
    const status = node.status === 'unfinished' ? 'did not finish here' : node.status;
    item.tooltip = new vscode.MarkdownString(
      [
        `**${escapeMd(node.title)}** — ${status}`,
        node.error ? `\n\n${escapeMd(node.error)}` : '',
        node.info.file ? `\n\n${escapeMd(node.info.file)}` : '',
        `\n\n${s.counts['tool-call'] + s.counts['command-started']} tool calls, ${node.events.length} events`,
      ].join(''),
    );
    return item;
  }

  /** Finishes a run and refreshes it. */
  finish(run: Run, status: EndStatus, error?: string): void {
    run.finish(status, error);
    this.changedRun(run);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
    this.refreshed.dispose();
  }
}

/** The page an entry is on (0: listed under the run itself). */
function pageOf(index: number): number {
  return Math.floor(index / PAGE_SIZE);
}

/** How many page nodes a run lists after its first PAGE_SIZE entries. */
function pageCount(run: Run): number {
  return Math.max(0, Math.ceil(run.entries.list.length / PAGE_SIZE) - 1);
}

function entryNodes(run: Run, page: number): EntryNode[] {
  const from = page * PAGE_SIZE;
  return run.entries.list.slice(from, from + PAGE_SIZE).map((entry) => ({ type: 'entry', run, entry }));
}

/** Everything the run's own item shows (and whether it has results to list), to tell whether it needs a refresh. */
function runLook(run: Run): string {
  const results = resultNodes(run).length;
  return `${run.status}\n${run.title}\n${runDescription(run)}\n${run.info.folder ?? ''}\n${run.info.source}\n${results}`;
}

const EVALUATION_FAILED = new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));

function resultsItem(run: Run): vscode.TreeItem {
  const item = new vscode.TreeItem('Results', vscode.TreeItemCollapsibleState.Expanded);
  item.id = `${run.id}/results`;
  const evaluation = run.evaluation;
  item.description = evaluation ? describeEval(evaluation) : undefined;
  item.iconPath = evaluation
    ? evaluation.overall_passed
      ? STAGE_ICONS.pass
      : STAGE_ICONS.fail
    : new vscode.ThemeIcon('files');
  item.contextValue = 'results';
  return item;
}

function resultItem(node: ResultNode): vscode.TreeItem {
  const { run, file, stage } = node;
  if (stage) {
    const item = new vscode.TreeItem(label(stage.name), vscode.TreeItemCollapsibleState.None);
    item.id = `${run.id}/results/stage/${stage.name}`;
    item.iconPath = STAGE_ICONS[stage.outcome];
    item.description = stage.message && label(stage.message);
    item.tooltip = stage.message;
    item.contextValue = 'result.stage';
    return item;
  }
  const item = new vscode.TreeItem(file!, vscode.TreeItemCollapsibleState.None);
  item.id = `${run.id}/results/file/${file}`;
  const main = run.primaryFiles.includes(file!);
  item.description = main ? 'main output' : 'summary';
  item.iconPath = new vscode.ThemeIcon(main ? 'star-full' : 'book');
  item.contextValue = 'result.file';
  const folder = run.resultsFolder;
  if (folder) {
    item.resourceUri = vscode.Uri.file(path.join(folder, file!));
    item.command = { command: 'vscode.open', title: 'Open', arguments: [item.resourceUri] };
  }
  return item;
}

function hasDetail(entry: Entry): boolean {
  const k = entry.event.kind;
  return (
    k === 'thinking' || k === 'tool-call' || k === 'command-started' || k === 'command-completed' || k === 'tool-result'
  );
}

function runDescription(run: Run): string {
  const s = run.summary.summary;
  const parts: string[] = [];
  const agent = run.info.agent;
  const model = run.info.model ?? s.model;
  if (agent) parts.push(agent);
  if (model) parts.push(model);
  // The CLI's own duration when it says; else, for a live run, the wall clock (an opened log has no clock to read).
  // While it runs, in whole seconds, then whole minutes: each change of the description refreshes the run's subtree.
  if (s.durationMs !== undefined) parts.push(formatDuration(s.durationMs));
  else if (run.info.source === 'live' && run.finishedAt !== undefined)
    parts.push(formatDuration(run.finishedAt - run.info.startedAt));
  else if (run.info.source === 'live') parts.push(elapsed(Date.now() - run.info.startedAt));
  const tokens = s.usage.input + s.usage.output;
  if (tokens > 0) parts.push(`${compact(tokens)} tokens`);
  if (s.costUsd !== undefined) parts.push(formatCost(s.costUsd));
  const evaluation = run.evaluation;
  if (evaluation) parts.push(`evaluation ${evaluation.overall_passed ? 'passed' : 'failed'}`);
  return parts.join(' · ');
}

function entryLabel(e: TrajectoryEvent): string {
  switch (e.kind) {
    case 'tool-call':
      return label(`${e.name}: ${describeToolCall(e.name, e.input)}`);
    case 'command-started':
    case 'command-completed':
      return label(`exec: ${e.command}`);
    case 'thinking':
      return label(e.text);
    default:
      return label((formatEvent(e)[0] ?? e.kind).replace(/^\[agent\] /, ''));
  }
}

function entryIcon(entry: Entry): vscode.ThemeIcon {
  const outcome = RunEntries.outcomeOf(entry);
  if (outcome === 'ok') return new vscode.ThemeIcon('check', new vscode.ThemeColor('testing.iconPassed'));
  if (outcome === 'error') return new vscode.ThemeIcon('close', new vscode.ThemeColor('testing.iconFailed'));
  if (outcome === 'pending') return new vscode.ThemeIcon('circle-outline');
  const e = entry.event;
  switch (e.kind) {
    case 'init':
      return new vscode.ThemeIcon('rocket');
    case 'text':
      return new vscode.ThemeIcon('comment');
    case 'thinking':
      return new vscode.ThemeIcon('lightbulb');
    case 'file-change':
      return new vscode.ThemeIcon('diff');
    case 'usage':
      return new vscode.ThemeIcon('dashboard');
    case 'retry':
      return new vscode.ThemeIcon('debug-restart', new vscode.ThemeColor('list.warningForeground'));
    case 'warning':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    case 'error':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    case 'result':
      return e.status === 'succeeded'
        ? new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'))
        : new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'unparsed':
      return new vscode.ThemeIcon('question');
    default:
      return new vscode.ThemeIcon('circle-small');
  }
}

/** A label's line: the first line of `text`, at most LABEL_MAX characters. */
function label(text: string): string {
  return clip(firstLine(text), LABEL_MAX);
}

function elapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min`;
}

function compact(n: number): string {
  return n >= 1_000_000
    ? `${(n / 1_000_000).toFixed(1)}M`
    : n >= 10_000
      ? `${Math.round(n / 1000)}k`
      : n >= 1000
        ? `${(n / 1000).toFixed(1)}k`
        : String(n);
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
