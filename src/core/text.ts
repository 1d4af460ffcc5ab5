// Small text helpers every layer uses (messages, labels, command lines, config files), one of each, so that a label
// clipped in the tree and a message clipped in an error read alike.

/** An error's message (or the thrown value as text); never throws. */
export function errorMessage(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'an unknown error';
  }
}

/** At most `max` characters of `text`, the cut marked with `…` (and how much was cut when `count` is set). */
export function clip(text: string, max: number, count = false): string {
  if (text.length <= max) return text;
  return count ? `${text.slice(0, max)}… (${text.length - max} more characters)` : `${text.slice(0, max)}…`;
}

/** The first line of `text`, trimmed, with ` …` when more lines followed. */
export function firstLine(text: string): string {
  const trimmed = text.trim();
  const newline = trimmed.indexOf('\n');
  return newline < 0 ? trimmed : `${trimmed.slice(0, newline)} …`;
}

/** The last `lines` lines of `text` (at most `chars` characters of them), or "(no output)". */
export function lastLines(text: string, lines = 12, chars = 2000): string {
  const kept = text.trimEnd().split('\n').slice(-lines).join('\n');
  return (kept.length > chars ? `…${kept.slice(-chars)}` : kept) || '(no output)';
}

/** The first line of a command's output (what it set out to do) and its last lines (how it failed). */
export function headAndTail(text: string, lines = 12): string {
  const all = text.trimEnd().split('\n');
  return all.length <= lines ? lastLines(text, lines) : `${all[0]}\n…\n${lastLines(text, lines - 2)}`;
}

/**
 * `text` as a Daytona label value, which a run folder's name also is: letters, digits, `.`, `_`, `-`, starting and
 * ending with a letter or digit, at most `max` characters (63 for a label).
 */
export function slug(text: string, max = 63): string {
  return (
    text
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .slice(0, max)
      .replace(/^[-._]+|[-._]+$/g, '') || 'run'
  );
}

/** `text` as one bash word, whatever it holds: commands for every sandbox are bash scripts. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** A TOML basic string: JSON's escapes (\" \\ \n \uXXXX) are all valid TOML escapes, so JSON.stringify writes one. */
export function tomlString(value: string): string {
  return JSON.stringify(value);
}
