// Why a run did not work, in words a user can act on: one message, one next step, and the actions that take it (VS Code
// turns them into buttons, the CLI into a hint line). Every way a run can fail before, during or after the agent ends up
// here, so the wording lives in one place and tests can pin it. Messages never carry a stack trace; the runner redacts
// them before they are shown or written.
import type { Action, HostWords } from '../actions';
import { PROVIDERS } from '../catalog';
import type { Finding } from '../runbook/lint';
import type { TrajectoryEvent } from '../trajectory/events';
import type { Blocked, RunPlan } from './plan';
import { adapterOf } from '../agents';
import type { SandboxError } from './sandbox';
import { errorMessage, headAndTail, lastLines } from '../text';

/** What a run error offers to do next (see core/actions.ts). */
export type RunAction = Action;

export interface RunError {
  message: string;
  /** One sentence: what to do about it. */
  nextStep: string;
  actions: RunAction[];
}

/** A run that could not start: lint errors, an agent × provider that cannot run, missing keys. */
export function explainBlocked(blocked: Blocked, runbookFile: string, words: HostWords): RunError {
  switch (blocked.reason) {
    case 'lint': {
      const n = blocked.findings.length;
      const list = blocked.findings.map((f) => describeFinding(f)).join('\n');
      return {
        message: `${runbookFile} has ${n === 1 ? 'an error' : `${n} errors`}, so it was not run:\n${list}`,
        nextStep: words.fixProblems,
        actions: [{ kind: 'show-problems' }],
      };
    }
    case 'unsupported':
      return {
        message: blocked.message,
        nextStep: 'Change the runbook’s agent or model_provider.',
        actions: [{ kind: 'show-problems' }],
      };
    case 'no-model':
      return {
        message: `${blocked.message} Nothing was started.`,
        nextStep: 'Set `model` in the runbook’s front-matter.',
        actions: [{ kind: 'show-problems' }],
      };
    case 'setting':
      return {
        message: `${blocked.message} Nothing was started.`,
        nextStep: `Correct ${words.setting(blocked.setting)}.`,
        actions: [{ kind: 'open-setting', setting: blocked.setting }],
      };
    case 'missing-keys': {
      const names = blocked.keys.map((k) => k.name);
      const first = blocked.keys[0]!;
      const message =
        blocked.keys.length === 1
          ? `${first.name} is not set: ${first.why}. Nothing was started.`
          : `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are not set (${blocked.keys.map((k) => `${k.name}: ${k.why}`).join('; ')}). Nothing was started.`;
      return {
        message,
        nextStep: words.setMissingKeys(names),
        actions: blocked.keys.map((k) => ({
          kind: 'set-key',
          key: k.name,
          ...(k.kind === 'secret' ? { secret: true } : {}),
        })),
      };
    }
  }
}

function describeFinding(finding: Finding): string {
  return `  line ${finding.range.start.line + 1}: ${finding.message} [${finding.code}]`;
}

/** A sandbox failure (create, upload, commands, download, delete) in the runbook's terms. */
export function explainSandboxError(error: SandboxError, plan: RunPlan, words: HostWords): RunError {
  switch (error.kind) {
    case 'auth':
      // A 403 is a key Daytona knows but that may not do this (another organisation, no sandbox rights): a new key
      // would not help, the service's own advice does.
      if (error.details.status === 403) return { message: error.message, nextStep: error.nextStep, actions: [] };
      return {
        message: error.message,
        nextStep: words.setValidKey('DAYTONA_API_KEY', 'Daytona API key'),
        actions: [{ kind: 'set-key', key: 'DAYTONA_API_KEY' }],
      };
    case 'unreachable':
      return {
        message: error.message,
        nextStep: `Check ${words.setting('jetty.daytona.apiUrl')} and your network connection.`,
        actions: [{ kind: 'open-setting', setting: 'jetty.daytona.apiUrl' }],
      };
    case 'snapshot-not-found': {
      const used = error.details.snapshot ?? plan.request.snapshot ?? '';
      const mapped = plan.snapshotMappedFrom
        ? ` (the runbook says "${plan.snapshotMappedFrom}", mapped to "${used}" by ${words.setting('jetty.daytona.snapshots')})`
        : '';
      const example = JSON.stringify({ [plan.snapshotMappedFrom ?? used]: '<your snapshot>' });
      return {
        message: `Daytona has no snapshot named "${used}" in your organisation${mapped}. Jetty's snapshot names may not exist there.`,
        nextStep: `Map it to one of your own snapshots in ${words.setting('jetty.daytona.snapshots')}, e.g. ${example}.`,
        actions: [{ kind: 'open-setting', setting: 'jetty.daytona.snapshots' }],
      };
    }
    case 'delete-failed':
      return {
        message: error.message,
        nextStep: error.nextStep,
        actions: plan.sandbox === 'daytona' ? [{ kind: 'clean-up-sandboxes' }] : [],
      };
    default:
      return { message: error.message, nextStep: error.nextStep, actions: [] };
  }
}

/** `output` is redacted: it is shortened here. */
export function explainInstallFailure(plan: RunPlan, exitCode: number, output: string, words: HostWords): RunError {
  const cli = adapterOf(plan.agent).cli;
  return {
    message: `Installing ${plan.agent} ${plan.agentVersion} (${cli.package}) in the sandbox failed (exit code ${exitCode}):\n${headAndTail(output)}`,
    nextStep: `Check that ${plan.agentVersion} is a published version (${words.setting(cli.versionSetting)}) and that the sandbox can reach ${cli.installer === 'pip' ? 'PyPI' : 'the npm registry'}.`,
    actions: [{ kind: 'open-setting', setting: cli.versionSetting }],
  };
}

/** Jetty's layout (/app/results, /logs/agent…) could not be made in the sandbox; `output` is redacted. */
export function explainLayoutFailure(output: string): RunError {
  return {
    message: `Could not create Jetty's folders (/app/results, /app/assets, /app/checks, /logs/agent) in the sandbox:\n${lastLines(output)}`,
    nextStep: 'Use a snapshot or image whose user is root or has passwordless sudo.',
    actions: [{ kind: 'show-output' }],
  };
}

export function explainTimeout(minutes: number, words: HostWords): RunError {
  const limit =
    minutes >= 1 ? `${+minutes.toFixed(1)} minute${minutes === 1 ? '' : 's'}` : `${+(minutes * 60).toFixed(1)} s`;
  return {
    message: `The run took longer than ${limit} and was stopped; the sandbox was deleted. What the agent printed until then is kept.`,
    nextStep: `Allow more time with ${words.setting('jetty.run.timeoutMinutes')}, or make the runbook do less.`,
    actions: [{ kind: 'open-setting', setting: 'jetty.run.timeoutMinutes' }],
  };
}

export const CANCELLED: RunError = {
  message: 'The run was cancelled; the sandbox was deleted. What the agent printed until then is kept.',
  nextStep: 'Run the runbook again when you are ready.',
  actions: [],
};

export function explainDownloadFailure(error: SandboxError): RunError {
  return {
    message: `The agent finished, but its results could not be downloaded: ${error.message}`,
    nextStep: `${error.nextStep} The trajectory is kept.`,
    actions: [{ kind: 'show-output' }],
  };
}

/** Something no message above foresaw (a bug, a full disk): its text, never its stack. */
export function explainUnexpected(error: unknown): RunError {
  const text = errorMessage(error);
  return {
    message: `The run failed unexpectedly: ${text || 'no details'}`,
    nextStep: 'Try again; if it keeps happening, report it with the run’s run.json.',
    actions: [{ kind: 'show-output' }],
  };
}

/**
 * Watches the agent's events for how it failed: the first fatal error, and whether the model provider rejected the key
 * (claude-code: a synthetic assistant message with error `authentication_failed`; codex: `unexpected status 401`).
 */
export class FailureWatch {
  fatal: string | undefined;
  keyRejected = false;
  resultFailed: string | undefined;

  add(events: readonly TrajectoryEvent[]): void {
    for (const event of events) {
      if (event.kind === 'error' && event.fatal) {
        this.fatal ??= event.message;
        if (event.reason === 'authentication_failed' || REJECTED.test(event.message)) this.keyRejected = true;
      } else if (event.kind === 'result' && event.status === 'failed') {
        this.resultFailed = event.error ?? event.subtype;
        if (event.error && REJECTED.test(event.error)) this.keyRejected = true;
      }
    }
  }
}

const REJECTED =
  /\b401\b|unauthori[sz]ed|invalid (x-)?api[ -]key|incorrect api key|authentication_error|authentication failed/i;

/** The agent ran and failed (or succeeded: undefined). */
export function explainAgentFailure(
  plan: RunPlan,
  exitCode: number,
  watch: FailureWatch,
  stderr: string,
  words: HostWords,
): RunError | undefined {
  if (exitCode === 0 && !watch.fatal && !watch.resultFailed) return undefined;
  const said = watch.fatal ?? watch.resultFailed;
  // Said by the events (whatever the exit code: hermes exits 0), or by an exit code that means it (gemini-cli's 145).
  if (watch.keyRejected || adapterOf(plan.agent).keyRejectedExitCodes?.includes(exitCode)) {
    const key = plan.providerKeys[0] ?? 'the provider key';
    return {
      message: `${PROVIDERS[plan.provider].label} rejected ${key}${said ? `: ${said}` : '.'}`,
      nextStep: words.setKey(key),
      actions: [{ kind: 'set-key', key }],
    };
  }
  const why = said ?? (stderr.trim() ? lastLines(stderr) : 'it printed no reason');
  return {
    message: `${plan.agent} ${exitCode === 0 ? 'reported a failure' : `exited with code ${exitCode}`}: ${why}`,
    nextStep: 'See the trajectory for what the agent did before it stopped.',
    actions: [{ kind: 'show-output' }],
  };
}
