// Front-matter that parses but holds a list or a single value instead of `key: value` settings.
import type { Rule } from '../lint';

export const frontmatterNotMapping: Rule = {
  code: 'frontmatter-not-mapping',
  severity: 'error',
  description: 'The front-matter is not a mapping of `key: value` settings.',
  check(runbook) {
    const frontMatter = runbook.frontMatter;
    const data = frontMatter?.data;
    if (!frontMatter || data === null || data === undefined) return [];
    if (typeof data === 'object' && !Array.isArray(data)) return [];
    const what = Array.isArray(data) ? 'a list' : `a single ${typeof data === 'string' ? 'text' : typeof data} value`;
    const contents = frontMatter.document.contents;
    const span = contents?.range ? { start: contents.range[0], end: contents.range[1] } : frontMatter.open;
    return [
      {
        message: `The front-matter is ${what}, not \`key: value\` settings: Jetty finds no agent, model or other setting in it. Write one setting per line, e.g. \`agent: claude-code\`.`,
        range: runbook.range(span),
      },
    ];
  },
};
