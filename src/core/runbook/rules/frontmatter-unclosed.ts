// A front-matter whose closing `---` is missing: Jetty would take the whole file for settings.
import type { Rule } from '../lint';

export const frontmatterUnclosed: Rule = {
  code: 'frontmatter-unclosed',
  severity: 'error',
  description: 'The front-matter has no closing `---` line.',
  check(runbook) {
    const frontMatter = runbook.frontMatter;
    if (!frontMatter || frontMatter.close) return [];
    const { parsed } = runbook;
    const at = frontMatter.content.end;
    const previous = parsed.text.charCodeAt(at - 1);
    const atLineStart = at === frontMatter.content.start || previous === 10 || previous === 13;
    const range = parsed.lines.range(at, at);
    return [
      {
        message:
          'The front-matter is never closed: Jetty reads the whole file as settings, so the runbook has no instructions. Add a `---` line after the last setting.',
        range: frontMatter.openRange,
        fixes: [
          {
            title: 'Close the front-matter with ---',
            edits: [{ range, newText: `${atLineStart ? '' : parsed.eol}---${parsed.eol}` }],
            preferred: true,
          },
        ],
      },
    ];
  },
};
