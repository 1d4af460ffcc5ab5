// `{TODO: …}` markers left in a runbook (Jetty's create-runbook wizard writes them where it needs the author): the agent
// gets the marker instead of the instruction it stands for.
import type { Rule, RuleFinding } from '../lint';

const MARKER = '{TODO:';

export const todoLeft: Rule = {
  code: 'todo-left',
  severity: 'warning',
  description: 'A `{TODO: …}` marker left in the runbook.',
  check(runbook) {
    const text = runbook.parsed.text;
    const findings: RuleFinding[] = [];
    for (let at = text.indexOf(MARKER); at !== -1; at = text.indexOf(MARKER, at + MARKER.length)) {
      const lf = text.indexOf('\n', at);
      const lineEnd = lf === -1 ? text.length : lf;
      const close = text.indexOf('}', at);
      const end = close !== -1 && close < lineEnd ? close + 1 : lineEnd;
      findings.push({
        message:
          'A `{TODO: …}` marker is still here: the agent reads the marker, not the instruction it stands for. Write what it asks for before running.',
        range: runbook.range({ start: at, end }),
      });
    }
    return findings;
  },
};
