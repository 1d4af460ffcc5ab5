// Runs inside the real VS Code extension host (started by test/bench/workbench.bench.ts through test/host/run.ts), to
// measure whether the Jetty Trajectories tree and the run view stay responsive while 100,000 events arrive as a live
// run would push them (batches of BATCH events, the event loop free between batches).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { JettyApi } from '../../../src/extension';
import type { TrajectoryEvent } from '../../../src/core/trajectory/events';
import { createTrajectoryReader } from '../../../src/core/trajectory/reader';
import { printRow } from '../measure';
import { harness } from '../../suite/harness';
import { TRAJECTORY_FORMATS } from '../../../src/core/agents';

const EVENTS = 100_000;
const BATCH = 250;

function fixtureEvents(extensionPath: string, name: string): TrajectoryEvent[] {
  const events: TrajectoryEvent[] = [];
  const reader = createTrajectoryReader({ formats: TRAJECTORY_FORMATS, onEvents: (batch) => events.push(...batch) });
  reader.push(readFileSync(path.join(extensionPath, 'test', 'fixtures', 'trajectories', name)));
  reader.end();
  return events;
}

/** EVENTS events made of the recorded ones, with ids made unique so every tool call gets its own result. */
function manyEvents(extensionPath: string): TrajectoryEvent[] {
  const unit = [
    ...fixtureEvents(extensionPath, 'claude-code-2.1.126/tool-call.jsonl'),
    ...fixtureEvents(extensionPath, 'codex-0.169.0/shell-command.jsonl'),
  ].filter((e) => e.kind !== 'init' && e.kind !== 'result');
  const out: TrajectoryEvent[] = [];
  for (let round = 0; out.length < EVENTS; round++) {
    for (const e of unit) {
      if (out.length >= EVENTS) break;
      const line = out.length + 1;
      if (e.kind === 'tool-call' || e.kind === 'command-started' || e.kind === 'command-completed')
        out.push({ ...e, id: `${e.id}-${round}`, line });
      else if (e.kind === 'tool-result') out.push({ ...e, callId: `${e.callId}-${round}`, line });
      else out.push({ ...e, line });
    }
  }
  return out;
}

async function push(
  events: TrajectoryEvent[],
  append: (batch: TrajectoryEvent[]) => void,
  done: () => Promise<void>,
): Promise<{ ms: number; stallMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const start = performance.now();
  for (let i = 0; i < events.length; i += BATCH) {
    append(events.slice(i, i + BATCH));
    await new Promise((resolve) => setImmediate(resolve));
  }
  await done();
  const ms = performance.now() - start;
  delay.disable();
  return { ms, stallMs: delay.max / 1e6 };
}

export async function run(): Promise<void> {
  // The harness prints the extension host's console from the line that starts with the VS Code version on.
  console.log(`VS Code ${vscode.version}: trajectory tree benchmark`);
  const extension = vscode.extensions.getExtension<JettyApi>('jetty.jetty-runbooks');
  if (!extension) throw new Error('the extension is not loaded');
  const exports = await extension.activate();
  const api = exports.testing!.trajectories;
  const events = manyEvents(extension.extensionPath);

  // The baseline: the same batches kept in an array. Then the tree (view visible, run expanded, so VS Code really asks
  // for items): its longest extension-host stall next to the baseline's.
  const kept: TrajectoryEvent[] = [];
  const base = await push(
    events,
    (batch) => kept.push(...batch),
    async () => undefined,
  );

  await vscode.commands.executeCommand('jetty.trajectories.focus');
  const run = api.startRun({
    runbook: 'bench: 100,000 events',
    agent: 'claude-code',
    model: 'claude-sonnet-4-6',
    source: 'live',
  });
  await api.idle();
  const node = api.tree.find(run.id)!;
  await api.view.reveal(node, { expand: true, select: false, focus: false });
  // Refreshes counted as the view gets them: each coalesced refresh fires onDidRefresh once.
  let refreshes = 0;
  const counting = api.tree.onDidRefresh(() => refreshes++);
  const tree = await push(
    events,
    (batch) => run.append(batch),
    async () => {
      run.finish('succeeded');
      await api.idle();
    },
  );
  const entries = node.entries.list.length;
  counting.dispose();
  if (node.events.length !== EVENTS) throw new Error(`the run holds ${node.events.length} events, not ${EVENTS}`);

  printRow({
    name: `tree: ${EVENTS} events in batches of ${BATCH} (${entries} nodes), time until the last refresh`,
    value: tree.ms,
    unit: 'ms',
    baseline: base.ms,
    target: 'informational',
  });
  printRow({
    name: 'tree: longest event-loop stall while they arrive',
    value: tree.stallMs,
    unit: 'ms',
    baseline: base.stallMs,
    target: '≤ 100 ms',
    met: tree.stallMs <= 100,
  });
  printRow({
    name: 'tree: refreshes fired',
    value: refreshes,
    unit: '',
    target: `≤ ~10 per second (${((refreshes * 1000) / tree.ms).toFixed(1)}/s)`,
    met: (refreshes * 1000) / tree.ms <= 11,
  });

  await runView(exports, events, base.stallMs);
}

/**
 * The run view while 100,000 events arrive: the extension host's stalls, and the page's longest frame (measured in its
 * page by the harness's browser) next to the same page idle.
 */
async function runView(exports: JettyApi, events: TrajectoryEvent[], baselineStallMs: number): Promise<void> {
  const api = exports.testing!.trajectories;
  // The tree's run goes: a window holds the runs its user keeps, and the measurement is of this one.
  await vscode.commands.executeCommand('jetty.clearFinishedRuns');
  const title = 'bench: the run view';
  const run = api.startRun({ runbook: title, agent: 'claude-code', model: 'claude-sonnet-4-6', source: 'live' });
  await vscode.commands.executeCommand('jetty.openRun', run.id);
  const page = { view: 'runView', title };
  await harness.webview({ ...page, waitFor: { selector: '#count', text: '0 events' } });
  // The same page, doing nothing, for as long as the events will take to arrive: its frames are the baseline.
  await harness.watchFrames(page);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const idle = await harness.frameTimes(page);

  await harness.watchFrames(page);
  const entries = () => api.tree.find(run.id)!.entries.list.length;
  const pushed = await push(
    events,
    (batch) => run.append(batch),
    async () => {
      run.finish('succeeded');
      await api.idle();
      await harness.webview({ ...page, waitFor: { selector: `body[data-rows="${entries()}"]` }, timeoutMs: 180_000 });
    },
  );
  const busy = await harness.frameTimes(page);
  printRow({
    name: `run view: ${EVENTS} events (${entries()} rows) until the page has them all`,
    value: pushed.ms,
    unit: 'ms',
    target: 'informational',
  });
  printRow({
    name: 'run view: longest extension-host stall while they arrive (tree and run view)',
    value: pushed.stallMs,
    unit: 'ms',
    baseline: baselineStallMs,
    target: '≤ 50 ms',
    met: pushed.stallMs <= 50,
  });
  printRow({
    name: `run view: longest frame of the page while they arrive (${busy.frames} frames)`,
    value: busy.maxFrameMs,
    unit: 'ms',
    baseline: idle.maxFrameMs,
    target: '≤ 100 ms',
    met: busy.maxFrameMs <= 100,
  });
}
