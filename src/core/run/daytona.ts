// The Sandbox interface over Daytona's SDK (@daytonaio/sdk). The SDK (a megabyte) is loaded on first use only: in the
// bundle from dist/daytona-sdk.js (built from ./daytona-sdk.ts), from source the package itself. Every SDK failure leaves
// here as a SandboxError with a readable message and a next step; nothing created is left behind on a failure or a cancel.
//
// Facts this relies on are in shared/notes/daytona-sdk.md. In short: toolbox commands may run WITHOUT a shell and session
// commands take no env or cwd, so every command is sent as `bash -c` around a base64 script; the log socket streams
// chunks, may fail on upgrade or close early, so after it ends the plain logs endpoint settles what was missed.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { isEnvName } from '../keys';
import { shellQuote } from '../text';
import { DEFAULT_RESULT_LIMITS, unpackResults } from './results';
import type * as SdkModule from './daytona-sdk';
import {
  OWNER_LABELS,
  SandboxError,
  abortable,
  cancelled,
  sleep,
  type CreateOptions,
  type DownloadOptions,
  type DownloadResult,
  type ExecOptions,
  type ExecResult,
  type LeftoverSandbox,
  type Sandbox,
  type SandboxErrorKind,
  type SandboxFile,
  type SandboxProvider,
  type SandboxRequest,
  type StreamHandlers,
  type StreamResult,
} from './sandbox';

type Sdk = typeof SdkModule;
type SdkClient = InstanceType<Sdk['Daytona']>;
type SdkSandbox = Awaited<ReturnType<SdkClient['create']>>;

export interface DaytonaConfig {
  apiKey: string;
  /** e.g. https://app.daytona.io/api */
  apiUrl: string;
  target: string;
  /**
   * Default true: the SDK then polls sandbox state (100 ms) instead of holding a Socket.IO channel open. We wait for state
   * only while a sandbox starts, where polling is as quick; the channel would be one more long-lived connection that
   * keeps a process alive, falls back to polling silently when a proxy blocks it, and that a test server must imitate.
   */
  useDeprecatedPolling?: boolean;
  /** How long a new sandbox may take to start (default 120 s). */
  startTimeoutSeconds?: number;
  /** How often a running stream() resets the idle auto-stop timer (default 5 min; Daytona stops after 15 idle). */
  keepAliveIntervalMs?: number;
  /** How often output is polled when the log socket fails (default 1 s; longer as the log grows, see pollDelayMs). */
  pollIntervalMs?: number;
  /** Wait before the one retry of a failed delete (default 1 s). */
  deleteRetryDelayMs?: number;
  /** The SDK module to use (tests pass the esbuild bundle); default: loadSdk(). */
  sdk?: Sdk;
}

/** The label that ties a sandbox to one create() call, so one that failed to start, or was cancelled, can be found. */
export const REQUEST_LABEL = 'jetty-runbooks-request';

/** Loads the SDK: the bundle next to this file when running from dist/, else ./daytona-sdk.ts (tsx, tests). */
export function loadSdk(): Sdk {
  const bundled = path.join(__dirname, 'daytona-sdk.js');
  const entry = fs.existsSync(bundled) ? bundled : path.join(__dirname, 'daytona-sdk');
  // A computed require, so esbuild leaves the SDK out of extension.js and cli.js.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(entry) as Sdk;
}

export function createDaytonaProvider(config: DaytonaConfig): SandboxProvider {
  return new DaytonaProvider(config);
}

class DaytonaProvider implements SandboxProvider {
  readonly kind = 'daytona';
  private loaded: { sdk: Sdk; client: SdkClient } | undefined;
  /** Deletions still under way in the background (after a cancelled create); dispose() waits for them. */
  private readonly cleanups = new Set<Promise<void>>();
  private disposed = false;

  constructor(private readonly config: DaytonaConfig) {}

  private get daytona(): { sdk: Sdk; client: SdkClient } {
    if (this.disposed) throw new Error('The Daytona provider was disposed.');
    if (!this.loaded) {
      const { apiKey, apiUrl, target } = this.config;
      // Given explicitly, all three: otherwise the SDK fills the gaps from the environment and from .env files.
      if (!apiKey) throw new SandboxError('auth', 'No Daytona API key is set.', 'Set your Daytona API key.');
      if (!apiUrl || !target) {
        throw new SandboxError(
          'unreachable',
          'The Daytona API URL or target is empty.',
          'Set the Daytona API URL and target.',
          { url: apiUrl },
        );
      }
      const sdk = this.config.sdk ?? loadSdk();
      try {
        // It can still throw: it reads DAYTONA_OTEL_ENABLED from a .env in the working folder (the CLI's is the user's).
        const client = new sdk.Daytona({
          apiKey,
          apiUrl,
          target,
          useDeprecatedPolling: this.config.useDeprecatedPolling ?? true,
        });
        this.loaded = { sdk, client };
      } catch (error) {
        throw toSandboxError(sdk, error, { operation: 'start the Daytona client', url: apiUrl, secret: apiKey });
      }
    }
    return this.loaded;
  }

  async create(request: SandboxRequest, options: CreateOptions = {}): Promise<Sandbox> {
    const { signal } = options;
    if (signal?.aborted) throw cancelled();
    const { sdk, client } = this.daytona;
    const requestId = randomUUID();
    const timeout = this.config.startTimeoutSeconds ?? 120;
    const common = {
      envVars: { ...request.env },
      labels: { ...request.labels, ...OWNER_LABELS, [REQUEST_LABEL]: requestId },
      // Deleted as soon as it stops: a sandbox a crash left behind goes away after Daytona's idle auto-stop.
      ephemeral: true,
    };
    const params = request.image ? { ...common, image: request.image } : { ...common, snapshot: request.snapshot };
    const creating = (async () => {
      const created = await client.create(params, { timeout });
      try {
        const workDir = (await created.getWorkDir()) ?? (await created.getUserHomeDir()) ?? '/home/daytona';
        return new DaytonaSandbox(created, workDir, sdk, this.config);
      } catch (error) {
        await deleteWithRetry(sdk, created, this.config).catch(() => undefined);
        throw error;
      }
    })();
    try {
      return await abortable(creating, signal);
    } catch (error) {
      const failure = toSandboxError(
        sdk,
        error,
        this.context('create the sandbox', { snapshot: request.snapshot, timeoutSeconds: timeout }),
      );
      // The sandbox may exist although create() failed (it did not start in time, or the caller cancelled): find it by
      // its request label and delete it. A cancel must not wait for that; a failure is reported once it is done.
      const cleanup = creating.then(
        (sandbox) => sandbox.delete(),
        () => (failure.kind === 'auth' || failure.kind === 'unreachable' ? undefined : this.deleteByLabel(requestId)),
      );
      if (failure.kind === 'cancelled') this.track(cleanup);
      else await cleanup.catch(() => undefined);
      throw failure;
    }
  }

  async listLeftovers(): Promise<LeftoverSandbox[]> {
    const { sdk, client } = this.daytona;
    try {
      const found: LeftoverSandbox[] = [];
      for await (const sandbox of client.list({ labels: { ...OWNER_LABELS } })) {
        found.push({ id: sandbox.id, createdAt: sandbox.createdAt, labels: sandbox.labels ?? {} });
      }
      return found;
    } catch (error) {
      throw toSandboxError(sdk, error, this.context('list sandboxes'));
    }
  }

  async deleteLeftover(id: string): Promise<void> {
    const { sdk, client } = this.daytona;
    try {
      await deleteWithRetry(sdk, await client.get(id), this.config);
    } catch (error) {
      if (error instanceof sdk.DaytonaNotFoundError) return;
      throw deleteFailed(id, toSandboxError(sdk, error, this.context('delete the sandbox')));
    }
  }

  async dispose(): Promise<void> {
    await Promise.allSettled([...this.cleanups]);
    const loaded = this.loaded;
    this.disposed = true;
    this.loaded = undefined;
    await loaded?.client[Symbol.asyncDispose]();
  }

  private async deleteByLabel(requestId: string): Promise<void> {
    const { sdk, client } = this.daytona;
    for await (const sandbox of client.list({ labels: { [REQUEST_LABEL]: requestId } })) {
      await deleteWithRetry(sdk, sandbox, this.config);
    }
  }

  private track(cleanup: Promise<void>): void {
    const tracked = cleanup.catch(() => undefined).finally(() => this.cleanups.delete(tracked));
    this.cleanups.add(tracked);
  }

  private context(operation: string, extra: Partial<ErrorContext> = {}): ErrorContext {
    return { operation, url: this.config.apiUrl, secret: this.config.apiKey, ...extra };
  }
}

class DaytonaSandbox implements Sandbox {
  readonly id: string;
  private deleting: Promise<void> | undefined;

  constructor(
    private readonly sandbox: SdkSandbox,
    readonly workDir: string,
    private readonly sdk: Sdk,
    private readonly config: DaytonaConfig,
  ) {
    this.id = sandbox.id;
  }

  async upload(files: readonly SandboxFile[], options: { signal?: AbortSignal } = {}): Promise<void> {
    const uploads = files.map((file) => ({ source: Buffer.from(file.content), destination: this.resolve(file.path) }));
    try {
      await abortable(this.sandbox.fs.uploadFiles(uploads), options.signal);
    } catch (error) {
      throw this.error(error, 'upload files to the sandbox', 'transfer-failed');
    }
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const script = wrapCommand(command, this.resolve(options.cwd ?? '.'), options.env);
    try {
      const result = await abortable(
        this.sandbox.process.executeCommand(script, undefined, undefined, options.timeoutSeconds),
        options.signal,
      );
      return { exitCode: result.exitCode ?? -1, output: result.result };
    } catch (error) {
      throw this.error(error, 'run a command in the sandbox', 'service', options.timeoutSeconds);
    }
  }

  async stream(
    command: string,
    handlers: StreamHandlers,
    options: Omit<ExecOptions, 'timeoutSeconds'> = {},
  ): Promise<StreamResult> {
    const { signal } = options;
    const process = this.sandbox.process;
    const stdout = new StreamTail(handlers.onStdout);
    const stderr = new StreamTail(handlers.onStderr ?? (() => undefined));
    const sessionId = `jetty-${randomUUID()}`;
    const keepAlive = setInterval(
      () => void this.keepAlive().catch(() => undefined),
      this.config.keepAliveIntervalMs ?? 5 * 60_000,
    );
    try {
      await abortable(process.createSession(sessionId), signal);
      const script = wrapCommand(command, this.resolve(options.cwd ?? '.'), options.env);
      const { cmdId } = await abortable(
        process.executeSessionCommand(sessionId, { command: script, runAsync: true }),
        signal,
      );
      if (!cmdId)
        throw new SandboxError('service', 'Daytona started the command but gave no command id.', RETRY, {
          sandboxId: this.id,
        });
      try {
        // Resolves when the socket closes: normally about a second after the command exits, but a dropped
        // connection looks the same. It rejects (with a ws ErrorEvent, not an Error) when the upgrade fails.
        await abortable(process.getSessionCommandLogs(sessionId, cmdId, stdout.live, stderr.live), signal);
      } catch (error) {
        if (error instanceof SandboxError) throw error;
      }
      // Settle against the plain logs endpoint until the command has an exit code. Status first, then logs: logs read
      // after the exit code exists are complete.
      for (;;) {
        const status = await abortable(process.getSessionCommand(sessionId, cmdId), signal);
        const logs = await abortable(process.getSessionCommandLogs(sessionId, cmdId), signal);
        stdout.settle(logs.stdout ?? '');
        stderr.settle(logs.stderr ?? '');
        if (typeof status.exitCode === 'number') {
          await process.deleteSession(sessionId).catch(() => undefined);
          return { exitCode: status.exitCode };
        }
        await sleep(
          pollDelayMs(this.config.pollIntervalMs ?? 1000, (logs.stdout?.length ?? 0) + (logs.stderr?.length ?? 0)),
          signal,
        );
      }
    } catch (error) {
      throw this.error(error, 'run a command in the sandbox');
    } finally {
      clearInterval(keepAlive);
      stdout.close();
      stderr.close();
    }
  }

  async downloadFolder(remoteDir: string, localDir: string, options: DownloadOptions = {}): Promise<DownloadResult> {
    const { signal } = options;
    const remote = this.resolve(remoteDir);
    // One archive, one download: the toolbox has no folder download. Written to the sandbox's temp folder, outside
    // the folder being archived, and streamed home into the unpacker, which decides what comes home (results.ts).
    const pack = await this.exec(
      `[ -d ${shellQuote(remote)} ] || { echo ${NO_FOLDER}; exit 0; }\n` +
        `archive=$(mktemp "\${TMPDIR:-/tmp}/jetty-download.XXXXXX") && tar -czf "$archive" -C ${shellQuote(remote)} . && echo "$archive"`,
      { signal },
    );
    const archive = pack.output.trim().split('\n').pop() ?? '';
    if (archive === NO_FOLDER) return { files: [], dropped: [], withSecrets: [] };
    if (pack.exitCode !== 0 || !archive.startsWith('/')) {
      // The whole output: the runner redacts it before it shortens it.
      throw new SandboxError(
        'transfer-failed',
        `Could not pack ${remote} in the sandbox: ${pack.output.trim() || `exit code ${pack.exitCode}`}`,
        'Check that tar and mktemp exist in the sandbox image.',
        { sandboxId: this.id },
      );
    }
    try {
      const stream = await abortable(this.sandbox.fs.downloadFileStream(archive, { signal }), signal);
      try {
        return await unpackResults(stream, localDir, {
          gzip: true,
          limits: options.limits ?? DEFAULT_RESULT_LIMITS,
          holdsSecret: options.holdsSecret,
          signal,
        });
      } finally {
        stream.destroy();
      }
    } catch (error) {
      if (signal?.aborted) throw cancelled();
      throw this.error(error, 'download results from the sandbox', 'transfer-failed');
    }
  }

  async keepAlive(): Promise<void> {
    try {
      await this.sandbox.refreshActivity();
    } catch (error) {
      throw this.error(error, 'keep the sandbox alive');
    }
  }

  delete(): Promise<void> {
    this.deleting ??= deleteWithRetry(this.sdk, this.sandbox, this.config).catch((error: unknown) => {
      this.deleting = undefined;
      throw deleteFailed(this.id, this.error(error, 'delete the sandbox'));
    });
    return this.deleting;
  }

  /** An absolute path inside the sandbox. */
  private resolve(sandboxPath: string): string {
    return path.posix.resolve(this.workDir, sandboxPath);
  }

  private error(error: unknown, operation: string, fallback?: SandboxErrorKind, timeoutSeconds?: number): SandboxError {
    return toSandboxError(this.sdk, error, {
      operation,
      url: this.sandbox.toolboxProxyUrl,
      secret: this.config.apiKey,
      sandboxId: this.id,
      fallback,
      timeoutSeconds,
    });
  }
}

const NO_FOLDER = '__jetty_no_such_folder__';

/**
 * How long to wait before polling the logs again. The logs endpoint returns the whole log every time, so polling a
 * growing log at a fixed pace costs O(n²) bytes over a long run: the wait grows with the log, keeping the re-downloads
 * near 256 KB/s, and stops growing at 30 s so the output still shows up.
 */
export function pollDelayMs(baseMs: number, logLength: number): number {
  return Math.min(Math.max(baseMs, logLength / 256), Math.max(baseMs, 30_000));
}

async function deleteWithRetry(sdk: Sdk, sandbox: SdkSandbox, config: DaytonaConfig): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await sandbox.delete();
      return;
    } catch (error) {
      if (error instanceof sdk.DaytonaNotFoundError) return; // already gone
      if (attempt === 2) throw error;
      await sleep(config.deleteRetryDelayMs ?? 1000);
    }
  }
}

function deleteFailed(id: string, reason: SandboxError): SandboxError {
  return new SandboxError(
    'delete-failed',
    `Could not delete the Daytona sandbox ${id}: ${reason.message}`,
    'Delete it in the Daytona dashboard, or run "Clean Up Sandboxes" later.',
    { ...reason.details, sandboxId: id },
  );
}

/**
 * One output stream of a session command, delivered exactly once whether it arrives from the log socket, from the
 * logs endpoint, or both. Offsets count the decoded text already delivered. A connection cut mid-stream makes the SDK
 * flush what it held back: the first bytes of a marker (01 or 02) or a partial UTF-8 sequence (as U+FFFD). Such a
 * tail is kept back until more text confirms it or the logs endpoint replaces it.
 */
export class StreamTail {
  private delivered = 0;
  private held = '';
  private closed = false;

  constructor(private readonly deliver: (text: string) => void) {}

  /** Text from the log socket. */
  readonly live = (text: string): void => {
    if (this.closed) return;
    const all = this.held + text;
    const keep = /[\u0001\u0002\uFFFD]*$/.exec(all)!.index; // eslint-disable-line no-control-regex
    this.held = all.slice(keep);
    this.emit(all.slice(0, keep));
  };

  /** The whole stream so far, from the logs endpoint: delivers what is missing. */
  settle(full: string): void {
    if (this.closed) return;
    this.held = '';
    this.emit(full.slice(this.delivered));
  }

  /** Nothing is delivered any more (the stream finished or was cancelled). */
  close(): void {
    this.closed = true;
  }

  private emit(text: string): void {
    if (!text) return;
    this.delivered += text.length;
    this.deliver(text);
  }
}

/**
 * The command as the toolbox gets it. The daemon's execute endpoint splits a command on spaces and quotes and runs it
 * without a shell; its session endpoint feeds it to a shell whose stdin is the daemon's own pipe. A base64 script in
 * `bash -c` survives both unchanged (base64 has no quotes or spaces), and the script closes stdin before anything else.
 */
export function wrapCommand(command: string, cwd: string, env: Readonly<Record<string, string>> = {}): string {
  const exports = Object.entries(env).map(([name, value]) => {
    if (!isEnvName(name)) throw new RangeError(`Not a variable name: ${name}`);
    return `export ${name}=${shellQuote(value)}`;
  });
  const script = ['exec </dev/null', `cd ${shellQuote(cwd)} || exit 1`, ...exports, command].join('\n');
  const encoded = Buffer.from(script, 'utf8').toString('base64');
  // An argument longer than 128 KiB fails in the kernel (MAX_ARG_STRLEN); big content belongs in upload().
  if (encoded.length > 120_000)
    throw new RangeError('Command too long for the sandbox: upload it as a file and run the file.');
  return `bash -c 'eval "$(echo ${encoded} | base64 -d)"'`;
}

interface ErrorContext {
  /** What was being done, as in "while trying to <operation>". */
  operation: string;
  /** The address the request went to. */
  url: string;
  /** Never shown: removed from any message that comes from the service. */
  secret: string;
  snapshot?: string;
  sandboxId?: string;
  timeoutSeconds?: number;
  /** The kind for failures not recognised otherwise. */
  fallback?: SandboxErrorKind;
}

const RETRY = 'Try again in a moment; if it keeps failing, check https://status.daytona.io.';

/** Every SDK failure (DaytonaError subclasses, ws ErrorEvents, anything else) as a SandboxError. */
export function toSandboxError(sdk: Sdk, error: unknown, context: ErrorContext): SandboxError {
  if (error instanceof SandboxError) return error;
  const { operation, url, sandboxId } = context;
  const raw =
    error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)
      ? String((error as { message: unknown }).message)
      : String(error);
  const said = (raw || 'no details').split(context.secret || '\u0000').join('***');
  const status = error instanceof sdk.DaytonaError ? error.statusCode : undefined;
  const details = { url, sandboxId, status };

  if (status === 401 || error instanceof sdk.DaytonaAuthenticationError) {
    return new SandboxError(
      'auth',
      `Daytona rejected the API key (HTTP 401) while trying to ${operation}.`,
      'Set a valid Daytona API key.',
      details,
    );
  }
  if (status === 403) {
    return new SandboxError(
      'auth',
      `Daytona refused access (HTTP 403) while trying to ${operation}: ${said}`,
      'Check that the Daytona API key belongs to the right organisation and may create sandboxes.',
      details,
    );
  }
  if ((status === 400 || status === 404) && /snapshot .*not found/i.test(said)) {
    const snapshot = context.snapshot ?? /snapshot (\S+)/i.exec(said)?.[1] ?? '';
    return new SandboxError(
      'snapshot-not-found',
      `Daytona has no snapshot named "${snapshot}".`,
      'Use a snapshot that exists in your Daytona organisation.',
      { ...details, snapshot },
    );
  }
  if (error instanceof sdk.DaytonaConnectionTimeoutError) {
    return new SandboxError(
      'timeout',
      `${url} did not answer in time while trying to ${operation}.`,
      'Check your network connection and try again.',
      details,
    );
  }
  if (error instanceof sdk.DaytonaConnectionError) {
    const reason = /ECONNREFUSED/.test(said)
      ? 'connection refused'
      : /ENOTFOUND|EAI_AGAIN/.test(said)
        ? 'host not found'
        : said;
    return new SandboxError(
      'unreachable',
      `Could not reach Daytona at ${url} (${reason}) while trying to ${operation}.`,
      'Check the Daytona API URL and your network connection.',
      details,
    );
  }
  if (error instanceof sdk.DaytonaTimeoutError) {
    const seconds = context.timeoutSeconds;
    const message =
      operation === 'create the sandbox' && seconds
        ? `The Daytona sandbox did not start within ${seconds} s.`
        : status === 408 && seconds
          ? `The command did not finish within ${seconds} s.`
          : `Daytona timed out while trying to ${operation}: ${said}`;
    return new SandboxError('timeout', message, 'Try again; if it keeps happening, allow more time.', details);
  }
  if (
    error instanceof sdk.DaytonaError &&
    status === undefined &&
    /failed to start|build_failed|with status: error/i.test(said)
  ) {
    return new SandboxError(
      'start-failed',
      `The Daytona sandbox could not start: ${said}`,
      'Try again; if it keeps failing, check the snapshot or image in the Daytona dashboard.',
      details,
    );
  }
  const kind = context.fallback ?? 'service';
  const prefix = status ? `Daytona answered HTTP ${status}` : 'Daytona failed';
  return new SandboxError(kind, `${prefix} while trying to ${operation}: ${said}`, RETRY, details);
}
