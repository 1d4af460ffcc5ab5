// A runbook held to Jetty's template structure (it declares `evaluation`) without its `## REQUIRED OUTPUT FILES` section (a `Step N:`
// prefix allowed), which Jetty's create-runbook validator requires.
import type { Rule } from '../lint';
import { hasHeading, OUTPUT_FILES_TITLE } from '../sections';
import { followsTemplate, structureAnchor } from '../structure';

export const outputFilesMissing: Rule = {
  code: 'output-files-missing',
  severity: 'warning',
  description: 'A runbook that declares `evaluation` has no `## REQUIRED OUTPUT FILES` section.',
  check(runbook) {
    if (!followsTemplate(runbook) || hasHeading(runbook.parsed, OUTPUT_FILES_TITLE)) return [];
    return [
      {
        message:
          "No `## REQUIRED OUTPUT FILES` section: nothing tells the agent which files it must write to the results directory, and Jetty's create-runbook validator reports this as an error. Add one with a table of the files, `summary.md` and `validation_report.json` among them.",
        range: structureAnchor(runbook),
      },
    ];
  },
};
