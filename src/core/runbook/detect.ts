// Which markdown files are runbooks: those whose front-matter has `agent` or `model`, and those whose path matches the
// runbook file pattern (`jetty.runbookFilePattern`, default `**/*.runbook.md`). Every other markdown file is left alone.
import picomatch from 'picomatch';
import { parseRunbook, type ParsedRunbook } from './parse';

export const DEFAULT_RUNBOOK_PATTERN = '**/*.runbook.md';

/** Whether the front-matter names an agent or a model (without parsing when the text cannot have front-matter). */
export function hasRunbookFrontMatter(parsed: ParsedRunbook): boolean {
  const frontMatter = parsed.frontMatter;
  if (!frontMatter) return false;
  // Too large to parse: a top-level `agent:` or `model:` line still makes it a runbook, so lint can say it was not read.
  if (frontMatter.tooLarge)
    return /^(?:agent|model)[ \t]*:/m.test(parsed.text.slice(frontMatter.content.start, frontMatter.content.end));
  return frontMatter.entries.some((e) => e.key === 'agent' || e.key === 'model');
}

const matchers = new Map<string, (path: string) => boolean>();

/** Whether a path (forward or back slashes; relative to the workspace or absolute) matches the glob. */
export function matchesRunbookPattern(path: string, pattern: string = DEFAULT_RUNBOOK_PATTERN): boolean {
  if (!pattern) return false;
  let matcher = matchers.get(pattern);
  if (!matcher) {
    try {
      matcher = picomatch(pattern, { dot: true, windows: false });
    } catch {
      matcher = () => false;
    }
    matchers.set(pattern, matcher);
  }
  return matcher(path.replace(/\\/g, '/'));
}

/** A runbook by content or by name. `parsed` may be passed when the caller has it already. */
export function isRunbook(text: string, path: string | undefined, pattern?: string, parsed?: ParsedRunbook): boolean {
  if (path !== undefined && matchesRunbookPattern(path, pattern)) return true;
  // Cheap exit for the common case: most markdown has no front-matter at all.
  if (!parsed && !/^\ufeff?---/.test(text)) return false;
  return hasRunbookFrontMatter(parsed ?? parseRunbook(text));
}
