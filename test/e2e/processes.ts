// What the sandbox tests ask of this machine's processes.
import fs from 'node:fs';

/** Alive and not a zombie (a killed grandchild may stay a zombie where nothing reaps orphans, as in containers). */
export function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
