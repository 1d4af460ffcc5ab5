// A front-matter longer than the parse limit (64 Ki characters, see parse.ts) is not read at all, so nothing in it is
// checked; this one finding says so, instead of the minutes and gigabytes the YAML parser would take.
import type { Rule } from '../lint';
import { MAX_FRONT_MATTER_LENGTH } from '../parse';

export const frontmatterTooLarge: Rule = {
  code: 'frontmatter-too-large',
  severity: 'warning',
  description: `A front-matter longer than ${MAX_FRONT_MATTER_LENGTH / 1024} Ki characters, which is not read or checked.`,
  check(runbook) {
    const frontMatter = runbook.frontMatter;
    if (!frontMatter?.tooLarge) return [];
    const { start, end } = frontMatter.content;
    return [
      {
        message: `The front-matter is ${size(end - start)} long, more than the ${MAX_FRONT_MATTER_LENGTH / 1024} Ki characters lint reads, so none of it is checked. A runbook's settings take a few hundred characters${frontMatter.close ? '' : ', and this block is never closed: add a `---` line after the last setting'}.`,
        range: frontMatter.openRange,
      },
    ];
  },
};

function size(characters: number): string {
  return characters >= 1024 * 1024
    ? `${(characters / (1024 * 1024)).toFixed(1)} Mi characters`
    : `${Math.round(characters / 1024)} Ki characters`;
}
