// What the run tests share (e2e in node, the integration suite inside VS Code, the benchmark): the real agent CLIs put
// on a sandbox's PATH the way an installed CLI would be, and a recorder of what a run shows.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ADAPTERS, DEFAULT_VERSIONS } from '../../src/core/agents';
import type { AgentId } from '../../src/core/catalog';
import type { TrajectoryEvent } from '../../src/core/trajectory/events';
import { formatEvent } from '../../src/core/trajectory/format';
import type { FinishedStatus, RunInfo, Trajectories } from '../../src/core/trajectory/trajectories';
import { startFakeDaytona, type FakeDaytona, type FakeDaytonaOptions } from './daytona';

/**
 * A new folder with each agent's executable (`claude`, `codex`, `gemini`, `opencode`, `hermes`) linked to its CLI at
 * its default version, cached under `<repo>/.cache/agent-clis/` (installed by test/fakes/agent-clis.ts:
 * `ensureAgentCli`, or `npx tsx test/fakes/agent-clis.ts`). hermes' link is its virtual environment's `hermes`, whose
 * first line names that environment's python: the environment's own python and pip stay off PATH, as in a sandbox.
 */
export function linkAgentClis(repoRoot: string, agents: readonly AgentId[] = ['claude-code', 'codex']): string {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'jetty-agent-bin-'));
  for (const agent of agents) {
    const folder = `${agent}-${DEFAULT_VERSIONS[agent]}`;
    const marker = path.join(repoRoot, '.cache', 'agent-clis', folder, '.installed');
    if (!fs.existsSync(marker))
      throw new Error(
        `${folder} is not installed in .cache/agent-clis: run \`npx tsx test/fakes/agent-clis.ts\` first.`,
      );
    fs.symlinkSync(fs.readFileSync(marker, 'utf8').trim(), path.join(bin, ADAPTERS[agent].cli.bin));
  }
  fs.chmodSync(bin, 0o755); // a sandbox's `daytona` user goes through it too
  return bin;
}

/**
 * What a sandbox must see read-only for the links in `bin` to work: the folder and where the links point. The fake
 * Daytona server runs sandbox commands in a root of their own with the PATH it is given (its `baseEnv`), so `bin` on
 * that PATH and these folders (its `readOnly`) make the run's install step find the pinned version already installed
 * (`claude --version` says 2.1.126) and skip npm or pip: the version check runs for real, offline. The same folders in
 * the local sandbox (its `readOnly` and `path`) do the same for a local run.
 */
export function agentCliFolders(repoRoot: string, bin: string): string[] {
  return [bin, fs.realpathSync(path.join(repoRoot, '.cache', 'agent-clis'))];
}

/** The fake Daytona server as the run tests use it: the CLIs linked in `bin` on its sandboxes' PATH, readable there. */
export function startDaytonaWithClis(
  repoRoot: string,
  bin: string,
  options: Omit<FakeDaytonaOptions, 'baseEnv' | 'readOnly'>,
): Promise<FakeDaytona> {
  return startFakeDaytona({
    logCloseDelayMs: 100,
    baseEnv: { PATH: `${bin}:${process.env.PATH}`, LANG: 'C.UTF-8' },
    readOnly: agentCliFolders(repoRoot, bin),
    ...options,
  });
}

/**
 * A `Trajectories` that keeps what a run shows, in order (its events, and the Jetty log lines the CLI prints for them,
 * with a `■ status` line at the end), and can wait for an event.
 */
export function recordRuns() {
  const events: TrajectoryEvent[] = [];
  const printed: string[] = [];
  const started: RunInfo[] = [];
  const finished: { status: FinishedStatus; error?: string }[] = [];
  const waiters = new Set<() => void>();
  const trajectories: Trajectories = {
    startRun(info) {
      started.push(info);
      return {
        id: `run-${started.length}`,
        append(batch) {
          for (const event of batch) {
            events.push(event);
            printed.push(...formatEvent(event));
          }
          for (const waiter of waiters) waiter();
        },
        finish(status, error) {
          finished.push({ status, ...(error ? { error } : {}) });
          printed.push(`■ ${status} ${error ?? ''}`);
        },
      };
    },
  };
  /** Resolves once an event passing `test` has been shown. */
  const seen = (test: (event: TrajectoryEvent) => boolean): Promise<TrajectoryEvent> =>
    new Promise((resolve) => {
      const check = () => {
        const found = events.find(test);
        if (found) {
          waiters.delete(check);
          resolve(found);
        }
      };
      waiters.add(check);
      check();
    });
  return { trajectories, events, printed, started, finished, seen };
}
