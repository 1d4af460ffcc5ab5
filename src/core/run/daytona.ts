// The Sandbox interface over Daytona's SDK (@daytonaio/sdk): the provider (create, list and delete sandboxes). The SDK (a
// megabyte) is loaded on first use: in the bundle from dist/daytona-sdk.js, from source the package itself. Nothing a
// failed or cancelled create made is left behind. Facts: shared/notes/daytona-sdk.md.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  OWNER_LABELS,
  SandboxError,
  abortable,
  cancelled,
  type CreateOptions,
  type LeftoverSandbox,
  type Sandbox,
  type SandboxProvider,
  type SandboxRequest,
} from './sandbox';
import { DaytonaSandbox, deleteWithRetry, type Sdk, type SdkClient } from './daytona-sandbox';
import { deleteFailed, toSandboxError, type ErrorContext } from './daytona-errors';

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
