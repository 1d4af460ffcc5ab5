// The "Jetty" output channel (a LogOutputChannel), where a user reads every run as Jetty log lines
// (src/core/trajectory/format.ts), framed by a line when the run starts and when it ends. Everything passes through
// `redact` on its way out, the last guard before text reaches the user.
import * as vscode from 'vscode';
import type { TrajectoryEvent } from '../core/trajectory/events';
import { formatEvent } from '../core/trajectory/format';

/**
 * Lines are buffered and appended in batches, one call per level and flush (at most every FLUSH_MS), never line by
 * line: a run of 100,000 events must not flood the channel's IPC.
 */
const FLUSH_MS = 100;
/** At most this many lines go to the channel per turn of the event loop, the rest on the next: a burst of 50,000 lines
 * appended in one call held the extension host for 80 ms (measured by the tree benchmark, test/bench/vscode). */
const LINES_PER_APPEND = 5000;
type Level = 'info' | 'warn' | 'error';

/**
 * The writer owns the channel and closes it itself. VS Code disposes an extension's subscriptions right after calling
 * deactivate(), without waiting for it, while deactivate() is still cancelling live runs; those runs' last lines
 * ("■ … cancelled") arrive afterwards. So dispose() writes what is buffered, and the channel stays open, taking lines
 * as they come, until every run the channel announced has ended; then it closes. Nothing is written into a closed
 * channel (VS Code throws "Channel has been closed" for that).
 */
export class OutputWriter implements vscode.Disposable {
  private pending: { level: Level; lines: string[] }[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Runs announced by runStarted() and not yet ended by runFinished(). */
  private open = 0;
  /** dispose() was called: lines are written at once, and the channel closes when no run is open. */
  private closing = false;
  private closed = false;
  private readonly appended = new vscode.EventEmitter<string>();
  /** Who waits in drained() for the buffer to empty. */
  private waiters: (() => void)[] = [];
  /** Fires with each block of text as it goes to the channel (already redacted): for tests. */
  readonly onDidAppend = this.appended.event;

  constructor(
    readonly channel: vscode.LogOutputChannel,
    private readonly redact: (text: string) => string = (text) => text,
  ) {}

  runStarted(title: string): void {
    this.open++;
    this.write('info', `▶ ${title}`);
  }

  events(events: readonly TrajectoryEvent[]): void {
    for (const event of events) {
      const level: Level =
        event.kind === 'error' || (event.kind === 'result' && event.status === 'failed')
          ? 'error'
          : event.kind === 'warning' || event.kind === 'retry'
            ? 'warn'
            : 'info';
      for (const line of formatEvent(event)) this.write(level, line);
    }
  }

  runFinished(title: string, status: string, error?: string): void {
    this.write(status === 'succeeded' ? 'info' : 'error', `■ ${title}: ${status}${error ? ` — ${error}` : ''}`);
    this.open = Math.max(0, this.open - 1);
    if (this.closing && this.open === 0) this.close();
  }

  write(level: Level, line: string): void {
    if (this.closed) return;
    const last = this.pending[this.pending.length - 1];
    if (last && last.level === level) last.lines.push(line);
    else this.pending.push({ level, lines: [line] });
    if (this.closing) this.flush();
    else this.timer ??= setTimeout(() => this.drain(), FLUSH_MS);
  }

  /**
   * Resolves once every line buffered now has gone to the channel, in the pieces drain() writes: what a test waits for.
   * Not flush(): one append of a whole run's lines is the stall LINES_PER_APPEND is there to avoid.
   */
  drained(): Promise<void> {
    if (this.pending.length === 0) return Promise.resolve();
    this.timer ??= setTimeout(() => this.drain(), 0);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Appends everything buffered now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.append(Infinity);
  }

  private drain(): void {
    this.timer = undefined;
    this.append(LINES_PER_APPEND);
    if (this.pending.length) this.timer = setTimeout(() => this.drain(), 0);
  }

  /** Appends up to `max` buffered lines, in order, one call per level. */
  private append(max: number): void {
    for (let room = max; room > 0 && this.pending.length;) {
      const block = this.pending[0]!;
      const lines = block.lines.length <= room ? (this.pending.shift(), block.lines) : block.lines.splice(0, room);
      room -= lines.length;
      const text = this.redact(lines.join('\n'));
      this.channel[block.level](text);
      this.appended.fire(text);
    }
    if (this.pending.length === 0 && this.waiters.length) for (const resolve of this.waiters.splice(0)) resolve();
  }

  dispose(): void {
    this.flush();
    this.closing = true;
    if (this.open === 0) this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.channel.dispose();
    this.appended.dispose();
  }
}
