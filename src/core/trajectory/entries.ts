// A run's events as the trajectory tree lists them: one entry per thing the agent did, in order, with a tool's or a
// command's outcome attached to the call that started it (linked by id) instead of standing on its own. Pure and
// incremental, so the tree can take 100,000 events in batches and build its nodes lazily from these entries.
import { commandSucceeded, type CommandCompletedEvent, type ToolResultEvent, type TrajectoryEvent } from './events';

export interface Entry {
  /** Position in the run's list, 0-based. */
  index: number;
  event: TrajectoryEvent;
  /** For a tool call or a started command: what it gave back, once it has. */
  outcome?: ToolResultEvent | CommandCompletedEvent;
}

export class RunEntries {
  readonly list: Entry[] = [];
  /** Calls and commands still waiting for their outcome, by id. */
  private readonly waiting = new Map<string, Entry>();

  /** Adds a batch; returns the entries that existed before and changed (an outcome arrived), for a targeted refresh. */
  add(events: readonly TrajectoryEvent[]): Entry[] {
    const changed: Entry[] = [];
    for (const event of events) {
      switch (event.kind) {
        // Not listed: `turn-started` (a codex turn shows through its events and its usage) and `other` (lines of no
        // interest to a reader, such as claude's thinking-token estimates); both stay in the events, the saved log and
        // `replay --format json`.
        case 'turn-started':
        case 'other':
          continue;
        case 'tool-result':
        case 'command-completed': {
          const id = event.kind === 'tool-result' ? event.callId : event.id;
          const call = this.waiting.get(id);
          if (call) {
            this.waiting.delete(id);
            call.outcome = event;
            changed.push(call);
            continue;
          }
          break;
        }
        case 'tool-call':
        case 'command-started': {
          const entry = this.push(event);
          this.waiting.set(event.id, entry);
          continue;
        }
      }
      this.push(event);
    }
    return changed;
  }

  /** What a call or command came to: pending, ok or error. */
  static outcomeOf(entry: Entry): 'pending' | 'ok' | 'error' | undefined {
    const e = entry.event;
    if (e.kind === 'command-completed') return commandSucceeded(e) ? 'ok' : 'error';
    if (e.kind === 'tool-result') return e.isError ? 'error' : 'ok';
    if (e.kind !== 'tool-call' && e.kind !== 'command-started') return undefined;
    const o = entry.outcome;
    if (!o) return 'pending';
    if (o.kind === 'tool-result') return o.isError ? 'error' : 'ok';
    return commandSucceeded(o) ? 'ok' : 'error';
  }

  private push(event: TrajectoryEvent): Entry {
    const entry: Entry = { index: this.list.length, event };
    this.list.push(entry);
    return entry;
  }
}
