// The shell commands of a run, whichever CLI ran them: command events (codex, gemini-cli, opencode, hermes),
// claude-code's Bash tool calls. One place
// says what the command was, in the words the agent wrote it (codex wraps it in `/bin/bash -lc '…'`, which is
// unwrapped), and how it ended, so the run view, the comparison and `compare` read commands alike.
import type { Entry } from './entries';
import { commandSucceeded } from './events';

export interface Command {
  /** The entry's position in the run's list. */
  index: number;
  /** As the agent wrote it (codex's `bash -lc` wrapper taken off). */
  command: string;
  /** undefined while it runs; null when the CLI gives no exit code (claude's non-shell failures, a declined command). */
  exitCode: number | null | undefined;
  /** undefined while it runs; without an exit code, what its status says (gemini-cli gives none, only `success`). */
  succeeded: boolean | undefined;
  output: string;
}

/** Claude's Bash tools. */
const SHELL_TOOLS = new Set(['Bash', 'bash', 'shell', 'exec_command']);

/** The command an entry ran, if it ran one. */
export function commandOf(entry: Entry): Command | undefined {
  const e = entry.event;
  if (e.kind === 'command-started' || e.kind === 'command-completed') {
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
  if (e.kind !== 'tool-call' || !SHELL_TOOLS.has(e.name)) return undefined;
  const input = typeof e.input === 'object' && e.input !== null ? (e.input as Record<string, unknown>) : {};
  const command = typeof input.command === 'string' ? input.command : typeof input.cmd === 'string' ? input.cmd : '';
  const result = entry.outcome?.kind === 'tool-result' ? entry.outcome : undefined;
  return {
    index: entry.index,
    command,
    exitCode: result ? claudeExitCode(result.output, result.isError) : undefined,
    succeeded: result ? !result.isError : undefined,
    output: result?.output ?? '',
  };
}

/** claude-code's Bash result says a failure's code in its first line ("Exit code 1"); a success has none: 0. */
function claudeExitCode(output: string, isError: boolean): number | null {
  if (!isError) return 0;
  const code = /^Exit code (\d+)/.exec(output)?.[1];
  return code === undefined ? null : Number(code);
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
