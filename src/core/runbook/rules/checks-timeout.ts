// `code_checks.timeout_sec` above Jetty's limit of 900 seconds.
import { MAX_CHECKS_TIMEOUT_SEC } from '../../catalog';
import type { Rule } from '../lint';

export const checksTimeout: Rule = {
  code: 'checks-timeout',
  severity: 'error',
  description: `\`code_checks.timeout_sec\` above ${MAX_CHECKS_TIMEOUT_SEC}.`,
  check(runbook) {
    return runbook.schemaIssues
      .filter((issue) => issue.rule === 'checks-timeout')
      .map((issue) => {
        const range = runbook.range(issue.span);
        return {
          message: `\`code_checks.timeout_sec\` is ${String(issue.input)}, but Jetty allows code checks at most ${MAX_CHECKS_TIMEOUT_SEC} seconds: the runbook is rejected. Use ${MAX_CHECKS_TIMEOUT_SEC} or less.`,
          range,
          fixes: [
            {
              title: `Set timeout_sec to ${MAX_CHECKS_TIMEOUT_SEC}`,
              edits: [{ range, newText: String(MAX_CHECKS_TIMEOUT_SEC) }],
              preferred: true,
            },
          ],
        };
      });
  },
};
