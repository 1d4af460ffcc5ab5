// The REQUIRED OUTPUT FILES section of an evaluated runbook does not name `validation_report.json`: the agent is never
// asked for the report Jetty reads the run's evaluation from (its pass/partial/fail and overall_passed).
import type { Rule } from '../lint';
import { followsTemplate, namesFile, outputFilesSection } from '../structure';

export const reportUnlisted: Rule = {
  code: 'report-unlisted',
  severity: 'warning',
  description: 'The REQUIRED OUTPUT FILES section does not name `validation_report.json`.',
  check(runbook) {
    const section = outputFilesSection(runbook.parsed);
    if (!section || !followsTemplate(runbook) || namesFile(runbook.parsed, section, 'validation_report.json'))
      return [];
    return [
      {
        message:
          "REQUIRED OUTPUT FILES does not name `validation_report.json`: the agent is not asked to write it, and it is where Jetty reads the run's evaluation (stages, pass/partial/fail, overall_passed). Add a row for `{{results_dir}}/validation_report.json`.",
        range: runbook.range(section.titleSpan),
      },
    ];
  },
};
