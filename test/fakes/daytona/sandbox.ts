// One sandbox of the fake Daytona server: a folder on this machine stands in for the sandbox's file system, real local
// processes run its commands, and the daemon's session bookkeeping (a log per command with the 01 01 01 / 02 02 02
// stream markers, exit codes that appear only once a command has finished) is kept here.
//
// Path mapping: the sandbox folder `<root>` holds `home/` (the sandbox user's home and working directory, reported by
// GET /user-home-dir and /work-dir and set as HOME) and `tmp/` (TMPDIR). Commands see the real absolute local paths,
// so a client that asks the sandbox for its work dir (as it must on real Daytona, where it is e.g. /home/daytona)
// works unchanged. File requests take paths relative to home, or absolute paths inside `<root>`; anything outside is
// refused, so a client that hard-codes /home/daytona fails loudly instead of writing to this machine's /home.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { killGroup } from '../../../src/core/run/local';

export const STDOUT_MARKER = Buffer.from([1, 1, 1]);
export const STDERR_MARKER = Buffer.from([2, 2, 2]);

/** A command started in a session: its log as the daemon stores it, and its exit code once it has finished. */
export class SessionCommand {
  exitCode: number | undefined;
  /** The raw log, markers included, in arrival order. */
  private readonly chunks: Buffer[] = [];
  private readonly stdout: Buffer[] = [];
  private readonly stderr: Buffer[] = [];
  private readonly watchers = new Set<() => void>();
  logLength = 0;

  constructor(
    readonly id: string,
    readonly command: string,
  ) {}

  append(stream: 'stdout' | 'stderr', data: Buffer): void {
    const marked = Buffer.concat([stream === 'stdout' ? STDOUT_MARKER : STDERR_MARKER, data]);
    this.chunks.push(marked);
    this.logLength += marked.length;
    (stream === 'stdout' ? this.stdout : this.stderr).push(data);
    this.notify();
  }

  finish(exitCode: number): void {
    if (this.exitCode !== undefined) return; // 'close' follows 'error' when bash cannot start
    this.exitCode = exitCode;
    this.notify();
  }

  /** Raw log bytes in [start, end). */
  slice(start: number, end: number): Buffer {
    const parts: Buffer[] = [];
    let offset = 0;
    for (const chunk of this.chunks) {
      const chunkEnd = offset + chunk.length;
      if (chunkEnd > start && offset < end)
        parts.push(chunk.subarray(Math.max(0, start - offset), Math.min(chunk.length, end - offset)));
      if (chunkEnd >= end) break;
      offset = chunkEnd;
    }
    return Buffer.concat(parts);
  }

  /** The plain logs endpoint's body: `output` keeps the raw markers, as the real daemon's does. */
  logs(): { output: string; stdout: string; stderr: string } {
    return {
      output: Buffer.concat(this.chunks).toString('utf8'),
      stdout: Buffer.concat(this.stdout).toString('utf8'),
      stderr: Buffer.concat(this.stderr).toString('utf8'),
    };
  }

  /** Calls `watcher` on every new log chunk and on exit; returns the unsubscribe function. */
  watch(watcher: () => void): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  private notify(): void {
    for (const watcher of [...this.watchers]) watcher();
  }
}

export interface ExecuteResult {
  status: number;
  body: unknown;
}

export class FakeSandbox {
  readonly home: string;
  readonly tmp: string;
  readonly sessions = new Map<string, Map<string, SessionCommand>>();
  readonly createdAt = Date.now();
  lastActivityAt: number | undefined;
  deleted = false;
  private readonly processes = new Set<ChildProcess>();
  private nextCommand = 0;

  constructor(
    readonly id: string,
    readonly root: string,
    /** The variables every process in this sandbox sees: the base environment plus the create request's `env`. */
    private readonly environment: Record<string, string>,
  ) {
    this.home = path.join(root, 'home');
    this.tmp = path.join(root, 'tmp');
    fs.mkdirSync(this.home, { recursive: true });
    fs.mkdirSync(this.tmp, { recursive: true });
  }

  /** A request path inside the sandbox, or undefined when it points outside it (see the mapping above). */
  resolve(requested: string | undefined): string | undefined {
    const resolved = path.resolve(this.home, requested || '.');
    return resolved === this.root || resolved.startsWith(this.root + path.sep) ? resolved : undefined;
  }

  /** POST /process/execute: like the real daemon, the command is split on spaces and quotes and run WITHOUT a shell. */
  execute(request: { command?: unknown; cwd?: unknown; envs?: unknown; timeout?: unknown }): Promise<ExecuteResult> {
    const argv = splitCommand(typeof request.command === 'string' ? request.command : '');
    if (argv.length === 0) return Promise.resolve({ status: 400, body: problem(400, 'empty command') });
    const cwd = typeof request.cwd === 'string' ? this.resolve(request.cwd) : this.home;
    if (!cwd)
      return Promise.resolve({ status: 400, body: problem(400, `cwd ${String(request.cwd)} is outside the sandbox`) });
    const envs = isStringRecord(request.envs) ? request.envs : {};
    const timeout = typeof request.timeout === 'number' && request.timeout > 0 ? request.timeout : 0;
    return new Promise((resolve) => {
      const child = this.spawn(argv[0]!, argv.slice(1), cwd, envs);
      const output: Buffer[] = [];
      let timedOut = false;
      const timer = timeout ? setTimeout(() => ((timedOut = true), killGroup(child)), timeout * 1000) : undefined;
      child.stdout?.on('data', (data: Buffer) => output.push(data));
      child.stderr?.on('data', (data: Buffer) => output.push(data));
      child.on('error', (error) => {
        clearTimeout(timer);
        resolve({ status: 200, body: { exitCode: -1, result: error.message } });
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (timedOut) {
          const message = `Command execution timed out after ${timeout} seconds. The timeout can be increased by adjusting the timeout parameter in the request.`;
          resolve({ status: 408, body: problem(408, message, 'PROCESS_EXECUTION_TIMEOUT') });
        } else {
          resolve({ status: 200, body: { exitCode: code ?? -1, result: Buffer.concat(output).toString('utf8') } });
        }
      });
    });
  }

  /** Starts a session command. Session commands are interpreted by a shell (the real daemon feeds them to bash). */
  startSessionCommand(sessionId: string, commandText: string): SessionCommand {
    const commands = this.sessions.get(sessionId)!;
    const command = new SessionCommand(
      `cmd-${++this.nextCommand}-${Math.random().toString(36).slice(2, 8)}`,
      commandText,
    );
    commands.set(command.id, command);
    const child = this.spawn('bash', ['-c', commandText], this.home, {});
    child.stdout?.on('data', (data: Buffer) => command.append('stdout', data));
    child.stderr?.on('data', (data: Buffer) => command.append('stderr', data));
    child.on('error', (error) => {
      command.append('stderr', Buffer.from(`${error.message}\n`));
      command.finish(127);
    });
    // 'close', not 'exit': the exit code must appear only once every byte of output is in the log.
    child.on('close', (code, signal) => command.finish(code ?? 128 + signalNumber(signal)));
    return command;
  }

  /** Kills every process of the sandbox (each runs in its own process group, so its children die too). */
  killAll(): void {
    for (const child of this.processes) killGroup(child);
  }

  /** Kills the processes and removes the folder: what deleting the sandbox does. */
  destroy(): void {
    this.deleted = true;
    this.killAll();
    fs.rmSync(this.root, { recursive: true, force: true, maxRetries: 3 });
  }

  private spawn(file: string, args: string[], cwd: string, extraEnv: Record<string, string>): ChildProcess {
    const child = spawn(file, args, {
      cwd,
      env: { ...this.environment, HOME: this.home, TMPDIR: this.tmp, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.processes.add(child);
    child.on('close', () => this.processes.delete(child));
    child.on('error', () => this.processes.delete(child));
    return child;
  }
}

function signalNumber(signal: NodeJS.Signals | null): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return (signal && numbers[signal]) ?? 1;
}

/** The real daemon's naive split: spaces separate words, '…' and "…" group, no escapes, no shell. */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const char of command) {
    if ((char === '"' || char === "'") && (!quote || quote === char)) quote = quote ? undefined : char;
    else if (char === ' ' && !quote) {
      if (current) words.push(current);
      current = '';
    } else current += char;
  }
  if (current) words.push(current);
  return words;
}

export function problem(statusCode: number, message: string, code?: string): Record<string, unknown> {
  return { statusCode, message, ...(code ? { code } : {}), timestamp: new Date().toISOString() };
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
}
