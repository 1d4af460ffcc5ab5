// A `primary_outputs` entry the REQUIRED OUTPUT FILES section never names: Jetty shows the first primary output as the
// run's "Main output", but nothing asks the agent to write that file, so the Main output may be missing.
import type { Rule } from '../lint';
import { RESERVED_OUTPUTS } from '../../catalog';
import { namesFile, outputFilesSection } from '../structure';
import { outputItems } from './outputs-absolute';

export const primaryOutputUnlisted: Rule = {
  code: 'primary-output-unlisted',
  severity: 'warning',
  description: 'A `primary_outputs` entry the REQUIRED OUTPUT FILES section does not name.',
  check(runbook) {
    const section = outputFilesSection(runbook.parsed);
    if (!section) return [];
    return outputItems(runbook)
      .filter(
        (item) =>
          // Absolute and reserved entries have rules of their own.
          !/^(\/|~)/.test(item.path) &&
          !RESERVED_OUTPUTS.includes(item.path.replace(/^\.\//, '')) &&
          !namesFile(runbook.parsed, section, item.path),
      )
      .map((item) => ({
        message: `\`${item.path}\` is a primary output, but REQUIRED OUTPUT FILES never names it: nothing asks the agent to write it, and Jetty shows the first primary output as the run's Main output. Add it to that table, or fix the path.`,
        range: runbook.range(item.span),
      }));
  },
};
