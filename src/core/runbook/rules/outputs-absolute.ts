// `primary_outputs` with an absolute path: they are relative to results_dir, so Jetty looks in the wrong place.
import { isSeq, type Node } from 'yaml';
import type { Rule } from '../lint';
import type { Runbook } from '../runbook';
import type { Span } from '../text';

const RESULTS_PREFIX = /^(\/app\/results\/|\.\/results\/|results\/)/;

export const outputsAbsolute: Rule = {
  code: 'outputs-absolute',
  severity: 'warning',
  description: '`primary_outputs` lists an absolute path; they are relative to results_dir.',
  check(runbook) {
    return outputItems(runbook)
      .filter((item) => /^(\/|~|[A-Za-z]:[\\/])/.test(item.path))
      .map((item) => {
        const relative = RESULTS_PREFIX.test(item.path) ? item.path.replace(RESULTS_PREFIX, '') : undefined;
        const range = runbook.range(item.span);
        return {
          message: `\`${item.path}\` is absolute, but \`primary_outputs\` are paths relative to results_dir: Jetty looks for it under results_dir and does not find it.${relative ? ` Write \`${relative}\`.` : ' Write it relative to results_dir.'}`,
          range,
          fixes: relative
            ? [{ title: `Write ${relative}`, edits: [{ range, newText: relative }], preferred: true }]
            : [],
        };
      });
  },
};

export interface OutputItem {
  path: string;
  /** Index in the list; undefined when `primary_outputs` is a single string. */
  index: number | undefined;
  span: Span;
}

/** The string entries of `primary_outputs` with their source spans. */
export function outputItems(runbook: Runbook): OutputItem[] {
  const entry = runbook.entry('primary_outputs');
  if (!entry) return [];
  const value = entry.pair.value as Node | null;
  if (typeof entry.value === 'string' && entry.valueSpan)
    return [{ path: entry.value, index: undefined, span: entry.valueSpan }];
  if (!isSeq(value)) return [];
  const items: OutputItem[] = [];
  value.items.forEach((item, index) => {
    const node = item as Node;
    const data = Array.isArray(entry.value) ? (entry.value as unknown[])[index] : undefined;
    if (typeof data === 'string' && node?.range)
      items.push({ path: data, index, span: { start: node.range[0], end: node.range[1] } });
  });
  return items;
}
