// A run's figures from its events, in constant memory: counts per event kind, token totals, cost, turns, duration and
// outcome. Feeds the tree's run description and `jetty-runbook replay --summary`.
import { addUsage, EVENT_KINDS, ZERO_USAGE, type EventKind, type TrajectoryEvent, type Usage } from './events';

export interface RunSummary {
  counts: Record<EventKind, number>;
  /** The CLI's own totals when it prints them (claude's result line); otherwise the per-turn usage events added up
   * (codex). */
  usage: Usage;
  costUsd?: number;
  /**
   * The CLI's count when its result says it; until then (a live run, a log cut short) counted here: codex's turn
   * events, claude's assistant messages (one per model turn, its blocks sharing the message id).
   */
  turns: number;
  durationMs?: number;
  /** `incomplete`: no result yet (a live run, or a log cut short). */
  status: 'succeeded' | 'failed' | 'incomplete';
  /** Why it failed: the result's error, else the first fatal error seen. */
  error?: string;
  model?: string;
  session?: string;
}

export interface SummaryBuilder {
  add(events: readonly TrajectoryEvent[]): void;
  readonly summary: RunSummary;
}

export function createSummaryBuilder(): SummaryBuilder {
  const counts = Object.fromEntries(EVENT_KINDS.map((k) => [k, 0])) as Record<EventKind, number>;
  let summed: Usage = { ...ZERO_USAGE };
  const summary: RunSummary = { counts, usage: summed, turns: 0, status: 'incomplete' };
  let fromResult = false;
  let turnsSeen = 0;
  let lastMessageId: string | undefined;

  return {
    add(events) {
      for (const e of events) {
        counts[e.kind]++;
        switch (e.kind) {
          case 'init':
            summary.model ??= e.model;
            summary.session ??= e.session;
            break;
          case 'turn-started':
            turnsSeen = Math.max(turnsSeen, e.turn);
            break;
          case 'text':
          case 'thinking':
          case 'tool-call':
          case 'command-started':
            // claude's turns show as a new assistant message id (the blocks of one message arrive together).
            if (e.messageId && e.messageId !== lastMessageId) {
              lastMessageId = e.messageId;
              turnsSeen++;
            }
            break;
          case 'usage':
            summed = addUsage(summed, e.usage);
            if (!fromResult) summary.usage = summed;
            break;
          case 'error':
            if (e.fatal && !summary.error) summary.error = e.reason ? `${e.message} (${e.reason})` : e.message;
            break;
          case 'result':
            fromResult = true;
            summary.usage = e.usage;
            summary.costUsd = e.costUsd;
            summary.turns = e.turns ?? turnsSeen;
            summary.durationMs = e.durationMs;
            summary.status = e.status;
            if (e.status === 'failed') summary.error = e.error ?? summary.error;
            break;
        }
      }
      if (!fromResult) summary.turns = turnsSeen;
    },
    summary,
  };
}
