// What a user can do next, named by what it means (set a key, open a setting, show the problems…), never by a host's
// command: lint fixes and run errors carry these, and each host turns them into its own command, button or hint.

export type Action =
  /** Store a key or a runbook secret under this name. */
  | { kind: 'set-key'; key: string; secret?: boolean }
  /** Look at, or change, this setting. */
  | { kind: 'open-setting'; setting: string }
  /** Show the runbook's problems. */
  | { kind: 'show-problems' }
  /** Delete the sandboxes runs left behind. */
  | { kind: 'clean-up-sandboxes' }
  /** Show the run's trajectory. */
  | { kind: 'show-output' };

/** How a host words what only it knows: its settings' names, how a key is set, how problems are shown. */
export interface HostWords {
  /** A setting as its user finds it: "the setting jetty.run.timeoutMinutes", or "--timeout-minutes". */
  setting(id: string): string;
  /** The step that sets one key and runs again, as a sentence. */
  setKey(name: string): string;
  /** The step that sets the keys a run is waiting for, as a sentence. */
  setMissingKeys(names: readonly string[]): string;
  /** The step after a rejected key (a valid one is needed), as a sentence. */
  setValidKey(name: string, label: string): string;
  /** What to do about a runbook's lint errors, as a sentence. */
  fixProblems: string;
}
