// One Daytona sandbox: commands as `bash -c` around a base64 script (toolbox commands may run without a shell, session
// commands take no env or cwd), live output from the log socket settled against the logs endpoint when it drops, files
// up and results down. Facts: shared/notes/daytona-sdk.md.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { isEnvName } from '../keys';
import { shellQuote } from '../text';
import { DEFAULT_RESULT_LIMITS, unpackResults } from './results';
import type * as SdkModule from './daytona-sdk';
import {
  SandboxError,
  abortable,
  cancelled,
  sleep,
  type DownloadOptions,
  type DownloadResult,
  type ExecOptions,
  type ExecResult,
  type Sandbox,
  type SandboxErrorKind,
  type SandboxFile,
  type StreamHandlers,
  type StreamResult,
} from './sandbox';

import type { DaytonaConfig } from './daytona';
import { deleteFailed, RETRY, toSandboxError } from './daytona-errors';

export type Sdk = typeof SdkModule;
export type SdkClient = InstanceType<Sdk['Daytona']>;
export type SdkSandbox = Awaited<ReturnType<SdkClient['create']>>;

export class DaytonaSandbox implements Sandbox {
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

export async function deleteWithRetry(sdk: Sdk, sandbox: SdkSandbox, config: DaytonaConfig): Promise<void> {
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
