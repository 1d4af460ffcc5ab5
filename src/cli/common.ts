// What every jetty-runbook subcommand shares: its signature and the usage text.

/** A subcommand takes its arguments (after its name) and resolves to the process exit code. */
export type Subcommand = (args: string[]) => Promise<number>;

export function usage(commands: string[]): string {
  const list = commands.length ? commands.join(' | ') : '(none yet)';
  return `usage: jetty-runbook <command> [options]\n  commands: ${list}\n`;
}
