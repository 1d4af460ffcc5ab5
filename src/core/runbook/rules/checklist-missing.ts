// A runbook held to Jetty's template structure (it declares `evaluation`) without its `## Final Checklist` section (a `Step N:`
// prefix allowed), which Jetty's create-runbook validator requires.
import type { Rule } from '../lint';
import { hasHeading, FINAL_CHECKLIST_TITLE } from '../sections';
import { followsTemplate, structureAnchor } from '../structure';

export const checklistMissing: Rule = {
  code: 'checklist-missing',
  severity: 'warning',
  description: 'A runbook that declares `evaluation` has no `## Final Checklist` (or Final Verification) section.',
  check(runbook) {
    if (!followsTemplate(runbook) || hasHeading(runbook.parsed, FINAL_CHECKLIST_TITLE)) return [];
    return [
      {
        message:
          "No `## Final Checklist` section: the agent is not asked to check its outputs exist before it stops, and Jetty's create-runbook validator reports this as an error. Add one, ideally with a script that checks each required file.",
        range: structureAnchor(runbook),
      },
    ];
  },
};
