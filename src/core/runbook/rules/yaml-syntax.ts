// YAML the front-matter reader cannot parse: reported where the parser stopped, in its own words.
import type { Rule } from '../lint';

export const yamlSyntax: Rule = {
  code: 'yaml-syntax',
  severity: 'error',
  description: 'The front-matter is not valid YAML.',
  check(runbook) {
    const frontMatter = runbook.frontMatter;
    // An unclosed block has its own finding; the markdown swallowed into it would only add noise here.
    if (!frontMatter || !frontMatter.close) return [];
    return frontMatter.errors.map((error) => ({
      message: `YAML error: ${oneLine(error.message)}. Jetty cannot read the front-matter, so the run fails before it starts.`,
      range: error.range,
    }));
  },
};

function oneLine(message: string): string {
  return message
    .replace(/\s*\n[\s\S]*$/, '')
    .replace(/ at line \d+, column \d+:?$/, '')
    .replace(/\.$/, '');
}
