// Where a runbook runs: the Sandbox interface the runner uses, whatever is behind it (a Daytona sandbox through the
// SDK, or a bubblewrap sandbox on this machine), and the one error type every sandbox failure becomes, so the runner
// is the same for both. Plain TypeScript.
import type { ResultLimits, ResultsReport } from './results';

/** Labels on every sandbox this extension creates, so "Clean Up Sandboxes" can find the ones a crash left behind. */
export const OWNER_LABELS: Readonly<Record<string, string>> = { 'created-by': 'jetty-runbooks' };

export interface SandboxRequest {
  /** A snapshot name (as the sandbox service knows it: map Jetty's names to the user's before this point). */
  snapshot?: string;
  /** A container image instead of a snapshot. */
  image?: string;
  /** Environment of every process in the sandbox; the place for keys (session commands take no env of their own). */
  env: Readonly<Record<string, string>>;
  /** Extra labels (run id, runbook name); OWNER_LABELS are always added. */
  labels?: Readonly<Record<string, string>>;
}

export interface CreateOptions {
  /** Stops waiting promptly; whatever was created meanwhile is deleted in the background. */
  signal?: AbortSignal;
}

export interface ExecOptions {
  /** Working directory (default: workDir). */
  cwd?: string;
  /** Extra variables for this command. Not for secrets: on Daytona they travel inside the command text. */
  env?: Readonly<Record<string, string>>;
  /** Fails with kind 'timeout' after this long; the command is killed. */
  timeoutSeconds?: number;
  signal?: AbortSignal;
  /**
   * The agent CLI's install step: the one command that may write where a local sandbox keeps the pinned CLIs it shares
   * with other runs (read-only to every other command). Nothing to other sandboxes.
   */
  installsCli?: boolean;
}

export interface ExecResult {
  exitCode: number;
  /** stdout and stderr together, in the order they were written. */
  output: string;
}

export interface StreamHandlers {
  /** Text as it arrives: chunks, not lines (a long line comes in several calls). Never called after the promise settles. */
  onStdout(chunk: string): void;
  onStderr?(chunk: string): void;
}

export interface StreamResult {
  exitCode: number;
}

/**
 * What came home (results.ts): the files written (relative to the local folder, '/'-separated; none when the remote
 * folder does not exist), what was left out and why, and which files hold one of the run's secrets.
 */
export type DownloadResult = ResultsReport;

export interface DownloadOptions {
  signal?: AbortSignal;
  limits?: ResultLimits;
  /** True when a text holds a secret of the run (results are scanned with it). */
  holdsSecret?: (text: string) => boolean;
}

export interface SandboxFile {
  path: string;
  content: string | Uint8Array;
}

/**
 * Paths: every path handed to a sandbox is either relative to its `workDir` or absolute inside the sandbox, whose file
 * system is its own on Daytona and locally alike (the local one is a folder of its own as `/`), so `/app/results`
 * means the same everywhere and never this machine's.
 */
export interface Sandbox {
  readonly id: string;
  /** Absolute path inside the sandbox where commands start and relative paths resolve (on Daytona: its work dir). */
  readonly workDir: string;
  upload(files: readonly SandboxFile[], options?: { signal?: AbortSignal }): Promise<void>;
  /** Runs a shell (bash) command to completion. stdin is closed. A non-zero exit code is a result, not an error. */
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  /**
   * Runs a long shell (bash) command, delivering its output live, and resolves with its exit code once every byte has
   * been delivered. stdin is closed. Keeps the sandbox alive past idle auto-stop while it runs. On abort it stops
   * waiting at once and rejects with kind 'cancelled'; the command keeps running until the sandbox is deleted.
   */
  stream(
    command: string,
    handlers: StreamHandlers,
    options?: Omit<ExecOptions, 'timeoutSeconds'>,
  ): Promise<StreamResult>;
  /** Copies a folder of the sandbox into `localDir` (created if needed): plain data only, within limits (results.ts). */
  downloadFolder(remoteDir: string, localDir: string, options?: DownloadOptions): Promise<DownloadResult>;
  /** Resets the idle auto-stop timer (stream() does it by itself). */
  keepAlive(): Promise<void>;
  /** Kills everything in the sandbox and removes it. Retries once; idempotent; never aborted. */
  delete(): Promise<void>;
}

export interface LeftoverSandbox {
  id: string;
  createdAt: string | undefined;
  labels: Readonly<Record<string, string>>;
}

export interface SandboxProvider {
  readonly kind: 'daytona' | 'local';
  create(request: SandboxRequest, options?: CreateOptions): Promise<Sandbox>;
  /** Sandboxes carrying OWNER_LABELS that still exist, including those of runs going on right now in other windows. */
  listLeftovers(): Promise<LeftoverSandbox[]>;
  deleteLeftover(id: string): Promise<void>;
  /** Finishes background clean-ups and releases the client. The provider is unusable afterwards. */
  dispose(): Promise<void>;
}

/**
 * What went wrong, for the caller to choose its words and actions:
 * - auth: the key was rejected (offer "Set Daytona key").
 * - unreachable: `url` could not be reached.
 * - snapshot-not-found: `snapshot` does not exist (name the snapshot-mapping setting).
 * - timeout: something did not finish in time.
 * - cancelled: the caller aborted.
 * - start-failed: the sandbox could not start.
 * - transfer-failed: an upload or download failed.
 * - delete-failed: the sandbox could not be deleted and may still exist.
 * - service: any other answer of the sandbox service.
 */
export type SandboxErrorKind =
  | 'auth'
  | 'unreachable'
  | 'snapshot-not-found'
  | 'timeout'
  | 'cancelled'
  | 'start-failed'
  | 'transfer-failed'
  | 'delete-failed'
  | 'service';

/** A sandbox failure with a message a user can read (never a secret, never a stack) and what to do next. */
export class SandboxError extends Error {
  override readonly name = 'SandboxError';

  constructor(
    readonly kind: SandboxErrorKind,
    message: string,
    /** One sentence: what the user can do about it. */
    readonly nextStep: string,
    readonly details: { url?: string; snapshot?: string; sandboxId?: string; status?: number } = {},
  ) {
    super(message);
  }
}

export function cancelled(): SandboxError {
  return new SandboxError('cancelled', 'The run was cancelled.', 'Start the run again when you are ready.');
}

/** Rejects with kind 'cancelled' as soon as `signal` aborts; otherwise settles like `promise`. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(cancelled());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => undefined);
      reject(cancelled());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => (signal.removeEventListener('abort', onAbort), resolve(value)),
      (error: unknown) => (signal.removeEventListener('abort', onAbort), reject(error)),
    );
  });
}

/** Waits `ms`, or rejects with kind 'cancelled' when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const wait = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return abortable(wait, signal).finally(() => clearTimeout(timer));
}
