// The REQUIRED OUTPUT FILES section of an evaluated runbook does not name `summary.md`, the run's summary that Jetty's
// templates always ask for and its create-runbook validator recommends.
import type { Rule } from '../lint';
import { followsTemplate, namesFile, outputFilesSection } from '../structure';

export const summaryUnlisted: Rule = {
  code: 'summary-unlisted',
  severity: 'information',
  description: 'The REQUIRED OUTPUT FILES section does not name `summary.md`.',
  check(runbook) {
    const section = outputFilesSection(runbook.parsed);
    if (!section || !followsTemplate(runbook) || namesFile(runbook.parsed, section, 'summary.md')) return [];
    return [
      {
        message:
          "REQUIRED OUTPUT FILES does not name `summary.md`: the run ends without the summary Jetty's templates ask every run for. Add a row for `{{results_dir}}/summary.md`.",
        range: runbook.range(section.titleSpan),
      },
    ];
  },
};
