// What the sandbox tests ask of this machine's processes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';

/** Alive and not a zombie (a killed grandchild may stay a zombie where nothing reaps orphans, as in containers). */
export function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * Whether the process is gone, waiting a little for it: a killed process closes its files (which is what ends a
 * stream) a moment before /proc shows it dead. The bound is generous and only decides the answer, never a duration.
 */
export async function ended(pid: number, waitMs = 10_000): Promise<boolean> {
  for (const start = Date.now(); isAlive(pid);) {
    if (Date.now() - start > waitMs) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

/**
 * The processes of this machine whose command line holds `marker`: how a test finds, by its own host PID, a process a
 * sandbox started (inside, PIDs are the sandbox's own namespace's).
 */
export function pidsWith(marker: string): number[] {
  const found: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (
        fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').includes(marker) &&
        isAlive(Number(name))
      )
        found.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/**
 * The processes whose command line holds `marker`, once there is one: a command a sandbox was told to run may not have
 * started yet when its first output arrives (`echo started; exec sleep …`). None when none showed within the bound.
 */
export async function startedWith(marker: string, waitMs = 60_000): Promise<number[]> {
  for (const start = Date.now(); ;) {
    const found = pidsWith(marker);
    if (found.length || Date.now() - start > waitMs) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** How a process a test ran ended, with all it printed. */
export interface Collected {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command with stdin closed (codex blocks on an open stdin, claude-code waits for it, opencode hangs) and
 * collects what it prints; killed past `timeoutMs`, a bound that only keeps a hung CLI from holding the suite.
 */
export function collect(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
  timeoutMs: number,
): Promise<Collected> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
