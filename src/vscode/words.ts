// How the extension words what only it knows: settings by their ids, keys set through "Jetty: Set Provider Key" (a
// run waiting for a key goes on once it is set), problems shown in the editor with their quick fixes.
import type { HostWords } from '../core/actions';

export const VSCODE_WORDS: HostWords = {
  setting: (id) => `the setting ${id}`,
  setKey: (name) => `Set ${name} with "Jetty: Set Provider Key" and run the runbook again.`,
  setMissingKeys: (names) => `Set ${names.join(' and ')}; the run then goes on.`,
  setValidKey: (name, label) => `Set a valid ${label} (${name}) and run again.`,
  fixProblems: 'Fix the problems shown in the runbook (quick fixes are offered), then run it again.',
};
