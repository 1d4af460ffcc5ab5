// Every Daytona SDK failure (DaytonaError subclasses, ws ErrorEvents, anything else) as a SandboxError with a readable
// message and a next step, never the key.
import type { Sdk } from './daytona-sandbox';
import { SandboxError, type SandboxErrorKind } from './sandbox';

export function deleteFailed(id: string, reason: SandboxError): SandboxError {
  return new SandboxError(
    'delete-failed',
    `Could not delete the Daytona sandbox ${id}: ${reason.message}`,
    'Delete it in the Daytona dashboard, or run "Clean Up Sandboxes" later.',
    { ...reason.details, sandboxId: id },
  );
}

export interface ErrorContext {
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

export const RETRY = 'Try again in a moment; if it keeps failing, check https://status.daytona.io.';

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
