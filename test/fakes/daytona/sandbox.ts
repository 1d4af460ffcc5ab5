// One sandbox of the fake Daytona server, so tests run real commands where a Daytona sandbox would: a root file system
// of its own, real processes inside it, and the daemon's session bookkeeping (a log per command with the 01 01 01 /
// 02 02 02 stream markers, exit codes that appear only once a command has finished).
// Needs root on this machine (namespaces, mounts, chroot, setpriv).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { killGroup } from '../../../src/core/run/local';

/** The sandbox user's home and working directory, as GET /user-home-dir and /work-dir report it. */
export const SANDBOX_HOME = '/home/daytona';
export type SandboxUser = 'daytona' | 'root';
const DAYTONA_UID = 1000;

/**
 * The sandbox's namespaces, run as root by `unshare --mount --pid --fork`: its mounts, then "ready", then it waits
 * as the PID namespace's init until the sandbox is deleted. Arguments: the sandbox's root, the read-only folders
 * (':'-separated), the folder of its own /etc files.
 */
const HOLDER = `set -eu
root=$1 extra=$2 etc=$3
ro() { mkdir -p "$root$1"; mount --rbind "$1" "$root$1"; mount -o remount,bind,ro "$root$1"; }
ro /usr
ro /etc
IFS=:
for dir in $extra; do [ -n "$dir" ] && [ -e "$dir" ] && ro "$dir"; done
unset IFS
for file in passwd group shadow sudoers; do mount --bind "$etc/$file" "$root/etc/$file"; done
mount -t proc proc "$root/proc"
mount -t tmpfs -o mode=755,size=1m tmpfs "$root/dev"
for node in null zero full random urandom tty; do touch "$root/dev/$node"; mount --bind "/dev/$node" "$root/dev/$node"; done
ln -s /proc/self/fd "$root/dev/fd"
echo ready
exec sleep infinity
`;

/** How a command becomes the sandbox user: root without capabilities, or daytona with what sudo needs to be root. */
const AS_USER: Record<SandboxUser, string[]> = {
  root: ['--bounding-set=-all', '--inh-caps=-all'],
  // sudo makes daytona root again with these and no more: no mounts, no chroot.
  daytona: [
    `--reuid=${DAYTONA_UID}`,
    `--regid=${DAYTONA_UID}`,
    '--init-groups',
    '--bounding-set=-all,+chown,+dac_override,+dac_read_search,+fowner,+fsetid,+kill,+setgid,+setuid,+audit_write',
  ],
};

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

export interface FakeSandboxOptions {
  user: SandboxUser;
  /** Folders of this machine every command sees read-only at the same path (where the agent CLIs are, say). */
  readOnly: readonly string[];
}

/**
 * `<root>/rootfs` is the sandbox's `/`. Each sandbox holds a mount and a PID namespace of its own (HOLDER), with this
 * machine's /usr and /etc (and any `readOnly` folders) bound read-only, its own /proc, a minimal /dev, and
 * /etc/passwd, /etc/group, /etc/shadow and /etc/sudoers of its own that know the `daytona` user (uid 1000,
 * passwordless sudo, as Daytona's images have it). What a command writes (/app/results, /home/daytona, /tmp…) lands
 * in its rootfs: never this machine's, never another sandbox's; what it leaves running runs until the sandbox is
 * deleted, as on Daytona. The toolbox's file operations run inside too, as the sandbox user, so paths mean what they
 * mean to the sandbox.
 */
export class FakeSandbox {
  /** The sandbox's `/` on this machine. */
  readonly rootfs: string;
  /** Its /home/daytona on this machine (tests drop files there for a command to see). */
  readonly home: string;
  readonly sessions = new Map<string, Map<string, SessionCommand>>();
  readonly createdAt = Date.now();
  lastActivityAt: number | undefined;
  deleted = false;
  private readonly processes = new Set<ChildProcess>();
  private nextCommand = 0;
  /** The process holding the sandbox's namespaces (see HOLDER). */
  private readonly holder: ChildProcess;
  /** Settles when the namespaces are ready for commands; every toolbox request waits for it. */
  readonly ready: Promise<void>;

  constructor(
    readonly id: string,
    readonly root: string,
    /** The variables every process in this sandbox sees: the base environment plus the create request's `env`. */
    private readonly environment: Record<string, string>,
    private readonly options: FakeSandboxOptions,
  ) {
    this.rootfs = path.join(root, 'rootfs');
    this.home = path.join(this.rootfs, SANDBOX_HOME);
    for (const dir of ['usr', 'etc', 'proc', 'dev', 'run', 'var/tmp', 'root', SANDBOX_HOME.slice(1)])
      fs.mkdirSync(path.join(this.rootfs, dir), { recursive: true });
    fs.mkdirSync(path.join(this.rootfs, 'tmp'), { mode: 0o1777 });
    fs.chmodSync(path.join(this.rootfs, 'tmp'), 0o1777);
    fs.chmodSync(path.join(this.rootfs, 'root'), 0o700);
    for (const top of ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32']) {
      const link = fs.lstatSync(`/${top}`, { throwIfNoEntry: false });
      if (link?.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(`/${top}`), path.join(this.rootfs, top));
    }
    if (options.user === 'daytona') fs.chownSync(this.home, DAYTONA_UID, DAYTONA_UID);
    // The sandbox's own users: this machine's, without whoever has uid 1000 here, plus `daytona`.
    const etc = path.join(root, 'etc');
    fs.mkdirSync(etc);
    const without = (file: string, field: number) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line && line.split(':')[field] !== String(DAYTONA_UID) && !line.startsWith('daytona:'))
        .join('\n');
    fs.writeFileSync(
      path.join(etc, 'passwd'),
      `${without('/etc/passwd', 2)}\ndaytona:x:${DAYTONA_UID}:${DAYTONA_UID}:Daytona:${SANDBOX_HOME}:/bin/bash\n`,
    );
    fs.writeFileSync(path.join(etc, 'group'), `${without('/etc/group', 2)}\ndaytona:x:${DAYTONA_UID}:\n`);
    fs.writeFileSync(path.join(etc, 'shadow'), `${without('/etc/shadow', 0)}\ndaytona:*:19000:0:99999:7:::\n`, {
      mode: 0o640,
    });
    fs.writeFileSync(path.join(etc, 'sudoers'), 'root ALL=(ALL:ALL) ALL\ndaytona ALL=(ALL) NOPASSWD:ALL\n', {
      mode: 0o440,
    });
    fs.writeFileSync(path.join(root, 'holder.sh'), HOLDER);
    this.holder = spawn(
      'unshare',
      [
        '--mount',
        '--pid',
        '--fork',
        '--kill-child',
        '--propagation',
        'private',
        'bash',
        path.join(root, 'holder.sh'),
      ].concat([this.rootfs, options.readOnly.join(':'), etc]),
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    this.ready = new Promise((resolve, reject) => {
      let said = '';
      this.holder.stdout!.on('data', (data: Buffer) => (said += data.toString()).includes('ready\n') && resolve());
      this.holder.stderr!.on('data', (data: Buffer) => (said += data.toString()));
      this.holder.on('error', reject);
      this.holder.on('exit', () => reject(new Error(`the sandbox's namespaces did not start: ${said.trim()}`)));
    });
    this.ready.catch(() => undefined);
  }

  get user(): SandboxUser {
    return this.options.user;
  }

  /** A request path as the sandbox's own absolute path (relative ones start at its home). */
  resolve(requested: string | undefined): string {
    return path.posix.resolve(SANDBOX_HOME, requested || '.');
  }

  /** POST /process/execute: like the real daemon, the command is split on spaces and quotes and run WITHOUT a shell. */
  execute(request: { command?: unknown; cwd?: unknown; envs?: unknown; timeout?: unknown }): Promise<ExecuteResult> {
    const argv = splitCommand(typeof request.command === 'string' ? request.command : '');
    if (argv.length === 0) return Promise.resolve({ status: 400, body: problem(400, 'empty command') });
    const cwd = typeof request.cwd === 'string' ? this.resolve(request.cwd) : SANDBOX_HOME;
    const envs = isStringRecord(request.envs) ? request.envs : {};
    const timeout = typeof request.timeout === 'number' && request.timeout > 0 ? request.timeout : 0;
    return new Promise((resolve) => {
      const child = this.spawn(argv, cwd, envs);
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
    const child = this.spawn(['bash', '-c', commandText], SANDBOX_HOME, {});
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

  /** Writes a file inside, as the sandbox user (its folders made as needed); the error text when it may not. */
  async writeFile(sandboxPath: string, content: Buffer): Promise<string | undefined> {
    const child = this.spawn(
      ['sh', '-c', 'mkdir -p "$(dirname "$1")" && cat > "$1"', 'sh', this.resolve(sandboxPath)],
      '/',
      {},
      true,
    );
    let stderr = '';
    child.stderr!.on('data', (data: Buffer) => (stderr += data.toString('utf8')));
    child.stdin!.end(content);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return code === 0 ? undefined : stderr.trim() || `exit code ${code}`;
  }

  /** A plain file inside, read as the sandbox user: its content as a stream, or undefined when there is none. */
  async readFile(sandboxPath: string): Promise<NodeJS.ReadableStream | undefined> {
    // One byte first says the file is there and readable, before anything of the answer is written.
    const child = this.spawn(
      ['sh', '-c', '[ -f "$1" ] && [ -r "$1" ] || exit 44; printf F; exec cat "$1"', 'sh', this.resolve(sandboxPath)],
      '/',
      {},
    );
    const stdout = child.stdout!;
    const first = await new Promise<Buffer | undefined>((resolve) => {
      stdout.once('readable', () => resolve((stdout.read(1) as Buffer | null) ?? undefined));
      child.once('close', () => resolve(undefined));
    });
    if (first?.toString() !== 'F') return undefined;
    return stdout;
  }

  /** Kills every process of the sandbox (each runs in its own process group, so its children die too). */
  killAll(): void {
    for (const child of this.processes) killGroup(child);
  }

  /** Kills everything of the sandbox (its namespaces' init first: the kernel ends every process in them) and removes it. */
  destroy(): void {
    this.deleted = true;
    killGroup(this.holder);
    this.killAll();
    fs.rmSync(this.root, { recursive: true, force: true, maxRetries: 3 });
  }

  /**
   * Every command enters the sandbox's namespaces (nsenter) and runs chrooted there, as `daytona` (default, like a
   * real sandbox) or as root without capabilities. Not bubblewrap: bwrap always sets no_new_privs, under which sudo
   * refuses to run.
   */
  private spawn(argv: string[], cwd: string, extraEnv: Record<string, string>, stdin = false): ChildProcess {
    const ns = `/proc/${this.holder.pid}/ns`;
    const child = spawn(
      'nsenter',
      [
        `--mount=${ns}/mnt`,
        `--pid=${ns}/pid_for_children`,
        '--',
        'chroot',
        this.rootfs,
        '/usr/bin/setpriv',
        ...AS_USER[this.options.user],
        '--',
        '/bin/bash',
        '-c',
        'cd "$0" && exec "$@"',
        cwd,
        ...argv,
      ],
      {
        cwd: this.root,
        env: {
          ...this.environment,
          HOME: SANDBOX_HOME,
          USER: this.options.user,
          LOGNAME: this.options.user,
          TMPDIR: '/tmp',
          ...extraEnv,
        },
        stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
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
