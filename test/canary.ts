// What the "a key appears nowhere" tests share (unit, e2e, the suites inside VS Code): a canary key value unique to
// one test run, and every file under a folder with its text, to scan for it.
import fs from 'node:fs';
import path from 'node:path';

/** A value shaped like an Anthropic key, unique to this run and this `label` (which says where it was planted). */
export function canary(label: string): string {
  return `sk-ant-api03-${label}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** Every file under a folder, with its text. */
export function filesUnder(folder: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.push({ file, text: fs.readFileSync(file, 'utf8') });
  }
  return out;
}
