// A matrix run: one runbook on several agent × model pairs at once, each its own run in its own sandbox with the same
// parameters and input files, at most `maxConcurrent` at a time; one can be cancelled, or all. The same for "Jetty: Run
// Runbook on…" and `jetty-runbook run --matrix`: the pairs a runbook may run on, its text for each pair, preparing every
// pair before any starts, running them within the limit, and the exit code of the whole (the worst of the runs).
import {
  AGENT_IDS,
  AGENTS,
  isAgentId,
  modelOn,
  modelsFor,
  resolveRuntime,
  type AgentId,
  type ProviderId,
} from '../catalog';
import { applyEdits, setKey } from '../runbook/edits';
import { lint } from '../runbook/lint';
import { parseRunbook, frontMatterMapping } from '../runbook/parse';
import { Runbook } from '../runbook/runbook';
import { prepareRun, type PreparedRun, type RunSources } from './prepare';

/** One agent × model of a matrix. */
export interface MatrixPair {
  agent: AgentId;
  model: string;
}

/** `claude-code:claude-sonnet-4-6`: how a pair is written on the command line and named in the output. */
export function pairName(pair: MatrixPair): string {
  return `${pair.agent}:${pair.model}`;
}

export class MatrixError extends Error {}

/** `claude-code:claude-sonnet-4-6,codex:gpt-5.5` → its pairs (each once, in order). Throws MatrixError saying what is
 * wrong with a pair. */
export function parseMatrix(spec: string): MatrixPair[] {
  const pairs: MatrixPair[] = [];
  for (const part of spec.split(',').map((p) => p.trim())) {
    if (!part) continue;
    const at = part.indexOf(':');
    const agent = at > 0 ? part.slice(0, at) : '';
    const model = at > 0 ? part.slice(at + 1) : '';
    if (!agent || !model) throw new MatrixError(`"${part}" is not agent:model (e.g. claude-code:claude-sonnet-4-6)`);
    if (!isAgentId(agent))
      throw new MatrixError(`"${agent}" is not an agent (Jetty's agents are ${AGENT_IDS.join(', ')})`);
    if (!pairs.some((p) => p.agent === agent && p.model === model)) pairs.push({ agent, model });
  }
  if (pairs.length === 0) throw new MatrixError('no agent:model pairs given');
  return pairs;
}

/** The provider a pair runs with: the one the catalog documents for it, else the runbook's when the agent can use it,
 * else the agent's own default. */
export function pairProvider(pair: MatrixPair, declared: unknown): ProviderId | undefined {
  const documented = modelsFor(pair.agent).find((m) => m.id === pair.model)?.provider;
  if (documented) return documented;
  const providers = AGENTS[pair.agent].providers as readonly unknown[];
  if (providers.includes(declared)) return declared as ProviderId;
  return AGENTS[pair.agent].defaultProvider;
}

/** The runbook as it runs for one pair: its front-matter's agent, model and model_provider set to the pair's, the rest
 * (body, parameters, secrets, outputs) as written. Undefined when its front-matter cannot be edited safely. */
export function runbookFor(text: string, pair: MatrixPair): string | undefined {
  const declared = (frontMatterMapping(parseRunbook(text)) ?? {}).model_provider;
  const provider = pairProvider(pair, declared);
  let out = text;
  const values: [string, string | undefined][] = [
    ['agent', pair.agent],
    ['model', pair.model],
    ['model_provider', provider],
  ];
  // One key at a time, on the text as it is by then: each edit is made on what the one before left.
  for (const [key, value] of values) {
    if (value === undefined) continue;
    const edits = setKey(new Runbook(parseRunbook(out)), key, value);
    if (!edits) return undefined;
    out = applyEdits(out, edits);
  }
  return out;
}

export interface MatrixChoice {
  pair: MatrixPair;
  /** The runbook's own agent and model. */
  own: boolean;
  /** Why it is offered, in a few words. */
  why: string;
}

/**
 * The pairs "Run Runbook on…" offers: the runbook's own, the same model on the other agents that can serve it, and the
 * catalog's documented models of every agent this extension runs; only those whose runbook would pass lint (a pair
 * the run would refuse is not offered).
 */
export function matrixChoices(text: string): MatrixChoice[] {
  const front = frontMatterMapping(parseRunbook(text)) ?? {};
  const own = resolveRuntime(front);
  const ownModel = typeof front.model === 'string' && front.model ? front.model : AGENTS[own.agent].defaultModel;
  const choices: MatrixChoice[] = [];
  const offer = (pair: MatrixPair, why: string, isOwn = false) => {
    if (choices.some((c) => c.pair.agent === pair.agent && c.pair.model === pair.model)) return;
    const edited = runbookFor(text, pair);
    if (!edited && !isOwn) return;
    if (!isOwn && lint(edited!).some((f) => f.severity === 'error')) return;
    choices.push({ pair, own: isOwn, why });
  };
  if (ownModel) offer({ agent: own.agent, model: ownModel }, "the runbook's own", true);
  for (const agent of AGENT_IDS) {
    if (agent === own.agent || !ownModel) continue;
    for (const provider of AGENTS[agent].providers) {
      const there = modelOn(ownModel, provider);
      if (there && modelsFor(agent, provider).some((m) => m.id === there)) {
        offer({ agent, model: there }, `the same model on ${agent}`);
        break;
      }
    }
  }
  for (const agent of AGENT_IDS)
    for (const model of modelsFor(agent)) offer({ agent, model: model.id }, `${model.provider}: ${model.notes}`);
  return choices;
}

export interface PreparedPair {
  pair: MatrixPair;
  prepared: PreparedRun;
}

/** Prepares every pair before any starts (same parameters, files and key lookup), so a pair that cannot run (a
 * missing key, a lint error of its own) is known up front. */
export async function prepareMatrix(sources: RunSources, pairs: readonly MatrixPair[]): Promise<PreparedPair[]> {
  const out: PreparedPair[] = [];
  for (const pair of pairs) {
    const text = runbookFor(sources.text, pair);
    const prepared: PreparedRun = text
      ? await prepareRun({ ...sources, text })
      : {
          ok: false,
          blocked: {
            reason: 'unsupported',
            message: `the front-matter cannot be set to ${pairName(pair)} (write it in block style, one key a line)`,
          },
        };
    out.push({ pair, prepared });
  }
  return out;
}

export type MatrixStatus = 'done' | 'cancelled' | 'failed';

export interface MatrixResult<T> {
  index: number;
  /** `done`: its run returned (whatever its own outcome); `cancelled` before it started; `failed`: its run threw. */
  status: MatrixStatus;
  value?: T;
  error?: unknown;
}

export interface Matrix<T> {
  /** Settles when every run has ended (never rejects), with a result per run, in the order given. */
  readonly done: Promise<MatrixResult<T>[]>;
  /** Cancels one run: a running one through its signal, a waiting one before it starts. */
  cancel(index: number): void;
  cancelAll(): void;
  /** Runs that have started and not ended. */
  readonly running: number;
}

/**
 * Runs `count` runs, at most `maxConcurrent` at once, in order: run(i, signal) starts the i-th and resolves when it
 * has ended. Each has its own signal; cancel(i) aborts it (or keeps it from starting), cancelAll() every one.
 */
export function runMatrix<T>(
  count: number,
  maxConcurrent: number,
  run: (index: number, signal: AbortSignal) => Promise<T>,
): Matrix<T> {
  const limit = Math.max(1, Math.floor(maxConcurrent) || 1);
  const controllers = Array.from({ length: count }, () => new AbortController());
  const results: MatrixResult<T>[] = new Array(count);
  let next = 0;
  let running = 0;
  let finish: (results: MatrixResult<T>[]) => void;
  const done = new Promise<MatrixResult<T>[]>((resolve) => (finish = resolve));
  let ended = 0;
  const end = (result: MatrixResult<T>) => {
    results[result.index] = result;
    if (++ended === count) finish(results);
  };
  const pump = () => {
    while (running < limit && next < count) {
      const index = next++;
      const signal = controllers[index]!.signal;
      if (signal.aborted) {
        end({ index, status: 'cancelled' });
        continue;
      }
      running++;
      // Through a promise: a run that throws at once ends as failed, like one that rejects.
      Promise.resolve()
        .then(() => run(index, signal))
        .then(
          (value) => end({ index, status: 'done', value }),
          (error: unknown) => end({ index, status: 'failed', error }),
        )
        .finally(() => {
          running--;
          pump();
        });
    }
  };
  if (count === 0) finish!([]);
  else pump();
  return {
    done,
    cancel: (index) => controllers[index]?.abort(),
    cancelAll: () => controllers.forEach((c) => c.abort()),
    get running() {
      return running;
    },
  };
}

/** The exit code of a matrix: the highest of its runs' (0 only when every run exited 0). */
export function worstExitCode(codes: readonly number[]): number {
  return codes.reduce((worst, code) => Math.max(worst, code), 0);
}
