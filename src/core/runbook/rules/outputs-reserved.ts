// `primary_outputs` naming summary.md or validation_report.json: Jetty writes those itself, they are not the run's output.
import { RESERVED_OUTPUTS } from '../../catalog';
import { removeListItem } from '../edits';
import type { Rule } from '../lint';
import { outputItems } from './outputs-absolute';

export const outputsReserved: Rule = {
  code: 'outputs-reserved',
  severity: 'warning',
  description: '`primary_outputs` lists summary.md or validation_report.json, which Jetty writes itself.',
  check(runbook) {
    return outputItems(runbook)
      .filter((item) => RESERVED_OUTPUTS.includes(item.path.replace(/^\.\//, '')))
      .map((item) => {
        const edits = removeListItem(runbook, 'primary_outputs', item.index);
        return {
          message: `\`${item.path}\` is written by Jetty itself and does not belong in \`primary_outputs\`, which name what the agent produces. Remove it.`,
          range: runbook.range(item.span),
          fixes: edits ? [{ title: `Remove ${item.path} from primary_outputs`, edits, preferred: true }] : [],
        };
      });
  },
};
