// An "Iterate" step that says no limit: Jetty's templates bound it ("max 3 rounds") because an agent told to retry
// until it works can spend the whole run's time limit on one failure.
import type { Rule } from '../lint';
import { bodyStructure } from '../sections';

const ITERATE = /\biterat/i;
/** "max 3 rounds", "up to 2 times", "at most three attempts", "(max 5 iterations)", "3 rounds". */
const BOUND =
  /\b(max(imum)?\.?|up to|at most|no more than|limit(ed)? to)\s+(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b|\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(rounds?|times|iterations?|attempts?|passes|tries|cycles)\b/i;

export const iterationUnbounded: Rule = {
  code: 'iteration-unbounded',
  severity: 'warning',
  description: 'An "Iterate" step that does not say how many rounds at most (e.g. "max 3 rounds").',
  check(runbook) {
    const text = runbook.parsed.text;
    return bodyStructure(runbook.parsed)
      .sections.filter((s) => ITERATE.test(s.name) && !BOUND.test(text.slice(s.titleSpan.start, s.span.end)))
      .map((s) => ({
        message: `"${s.title}" does not say how many rounds at most: an agent told to retry until it works can spend the run's whole time limit on one failure. Bound it, as Jetty's templates do: "(max 3 rounds)".`,
        range: runbook.range(s.titleSpan),
      }));
  },
};
