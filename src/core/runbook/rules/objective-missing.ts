// A runbook held to Jetty's template structure (it declares `evaluation`) without its `## Objective` section (a `Step N:`
// prefix allowed), which Jetty's create-runbook validator requires.
import type { Rule } from '../lint';
import { hasHeading, OBJECTIVE_TITLE } from '../sections';
import { followsTemplate, structureAnchor } from '../structure';

export const objectiveMissing: Rule = {
  code: 'objective-missing',
  severity: 'warning',
  description: 'A runbook that declares `evaluation` has no `## Objective` section.',
  check(runbook) {
    if (!followsTemplate(runbook) || hasHeading(runbook.parsed, OBJECTIVE_TITLE)) return [];
    return [
      {
        message:
          "No `## Objective` section: the agent is not told what the run is for and what it produces, and Jetty's create-runbook validator reports this as an error. Add one (two to five sentences) after the title.",
        range: structureAnchor(runbook),
      },
    ];
  },
};
