// What a runbook's highlighting marks: the front-matter keys Jetty reads and the `{{variables}}` it fills in when the
// runbook runs. The editor turns these into semantic tokens for runbooks only: a TextMate grammar cannot tell a runbook
// from any other markdown file, so it would colour Jekyll front-matter and Handlebars braces in every README.
import type { ParsedRunbook } from './parse';
import { FRONT_MATTER_KEYS } from './schema';
import { findTemplateVariables } from './template';

/** `key`: a top-level front-matter key of Jetty's schema; `variable`: a `{{variable}}` in the body, braces included. */
export type HighlightKind = 'key' | 'variable';

/** The semantic token type of each kind, as the manifest declares it (`semanticTokenTypes`; a unit test keeps them equal). */
export const TOKEN_TYPES: Readonly<Record<HighlightKind, string>> = { key: 'jettyKey', variable: 'jettyVariable' };

export interface Highlight {
  kind: HighlightKind;
  /** Offsets into the runbook's text. */
  start: number;
  end: number;
}

const JETTY_KEYS: ReadonlySet<string> = new Set(FRONT_MATTER_KEYS);

/**
 * In source order. Unknown keys are not marked (their plain YAML colour is a hint of the typo lint reports); every
 * variable is, wherever it sits in the body, because the runner fills it in wherever it sits, code blocks included.
 */
export function highlights(parsed: ParsedRunbook): Highlight[] {
  const out: Highlight[] = [];
  for (const entry of parsed.frontMatter?.entries ?? []) {
    if (JETTY_KEYS.has(entry.key)) out.push({ kind: 'key', start: entry.keySpan.start, end: entry.keySpan.end });
  }
  for (const variable of findTemplateVariables(parsed.text, parsed.bodyOffset))
    out.push({ kind: 'variable', start: variable.start, end: variable.end });
  return out;
}
