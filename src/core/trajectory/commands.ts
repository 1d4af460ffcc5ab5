// The shell commands of a run, whichever CLI ran them (every parser makes its shell tool's calls command events): what
// the command was, in the words the agent wrote it (codex wraps it in `/bin/bash -lc '…'`, which is unwrapped), and how
// it ended, so the run view, the comparison and `compare` read commands alike.
import type { Entry } from './entries';
import { commandSucceeded } from './events';

export interface Command {
  /** The entry's position in the run's list. */
  index: number;
  /** As the agent wrote it (codex's `bash -lc` wrapper taken off). */
  command: string;
  /** undefined while it runs; null when the CLI gives none (gemini-cli, a declined command, a claude-code Bash
   * failure that names no exit code). */
  exitCode: number | null | undefined;
  /** undefined while it runs; without an exit code, what its status says (gemini-cli gives none, only `success`). */
  succeeded: boolean | undefined;
  output: string;
}

/** The command an entry ran, if it ran one. */
export function commandOf(entry: Entry): Command | undefined {
  const e = entry.event;
  if (e.kind !== 'command-started' && e.kind !== 'command-completed') return undefined;
  const done =
    e.kind === 'command-completed' ? e : entry.outcome?.kind === 'command-completed' ? entry.outcome : undefined;
  return {
    index: entry.index,
    command: unwrapShell(e.command),
    exitCode: done ? done.exitCode : undefined,
    succeeded: done ? commandSucceeded(done) : undefined,
    output: done?.output ?? '',
  };
}

/** `/bin/bash -lc 'echo hi'` → `echo hi` (codex runs every command that way); anything else as it is. */
export function unwrapShell(command: string): string {
  const m = /^(?:\/(?:usr\/)?bin\/)?(?:ba)?sh -l?c (?:'((?:[^']|'\\'')*)'|"((?:[^"\\]|\\.)*)"|(\S+))$/s.exec(
    command.trim(),
  );
  if (!m) return command;
  if (m[1] !== undefined) return m[1].replace(/'\\''/g, "'");
  if (m[2] !== undefined) return m[2].replace(/\\(["\\$`])/g, '$1');
  return m[3]!;
}
