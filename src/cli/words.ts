// How jetty-runbook words what only it knows: a setting is the variable (or option) it reads instead, keys come from
// the environment, and `check` shows a runbook's problems.
import type { HostWords } from '../core/actions';
import { SETTING_ENV } from '../core/settings';

/** How a message names a setting to a CLI user: the variable it reads instead, or the option that sets it. */
const EQUIVALENT: Readonly<Record<string, string>> = {
  ...SETTING_ENV,
  'jetty.daytona.snapshots': `${SETTING_ENV['jetty.daytona.snapshots']} (a JSON object)`,
  'jetty.run.timeoutMinutes': '--timeout-minutes',
  'jetty.run.strictProvider': '--strict-provider',
  'jetty.lint.rules': '--rule or --config',
};

export const CLI_WORDS: HostWords = {
  setting: (id) => EQUIVALENT[id] ?? id,
  setKey: (name) => `Set ${name} in the environment and run again.`,
  setMissingKeys: (names) => `Set ${names.join(' and ')} in the environment and run again.`,
  setValidKey: (name) => `Set a valid ${name} and run again.`,
  fixProblems: 'Fix them (`jetty-runbook check` shows them too), then run it again.',
};
