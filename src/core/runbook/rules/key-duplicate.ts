// The same key twice in one mapping: YAML readers either refuse the front-matter or silently keep the last value.
import { isMap, isNode, isScalar, isSeq, type Node } from 'yaml';
import type { Rule, RuleFinding } from '../lint';
import { removeEntry } from '../edits';
import type { Runbook } from '../runbook';

export const keyDuplicate: Rule = {
  code: 'key-duplicate',
  severity: 'error',
  description: 'A key appears more than once in the same mapping.',
  check(runbook) {
    const contents = runbook.frontMatter?.document.contents;
    if (!contents) return [];
    const findings: RuleFinding[] = [];
    visit(runbook, contents, findings);
    return findings;
  },
};

// A module-level function rather than a closure in check: the build's keepNames renames a nested function on every call.
function visit(runbook: Runbook, node: unknown, findings: RuleFinding[]): void {
  if (isSeq(node)) for (const item of node.items) visit(runbook, item, findings);
  if (!isMap(node)) return;
  const seen = new Map<string, number>();
  for (const pair of node.items) {
    visit(runbook, pair.value, findings);
    if (!isScalar(pair.key) || !pair.key.range) continue;
    const key = String(pair.key.value);
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, pair.key.range[0]);
      continue;
    }
    const keySpan = { start: pair.key.range[0], end: pair.key.range[1] };
    const value = isNode(pair.value) ? (pair.value as Node) : undefined;
    const valueSpan = value?.range ? { start: value.range[0], end: value.range[1] } : undefined;
    const firstLine = runbook.parsed.lines.positionAt(first).line + 1;
    findings.push({
      message: `\`${key}\` is already set on line ${firstLine}: YAML readers either reject the front-matter or silently keep only the last value. Remove one of them.`,
      range: runbook.range(keySpan),
      fixes: [
        {
          title: `Remove this duplicate \`${key}\``,
          edits: [removeEntry(runbook, keySpan, valueSpan)],
          preferred: true,
        },
      ],
    });
  }
}
