// Test helpers for runbook rules: «markers» in a test text give the range a finding must have, and fixes are applied to
// the text the way an editor applies a WorkspaceEdit; the gallery-shaped runbooks of test/fixtures/runbooks are read here.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineIndex, type Range } from '../../../../src/core/runbook/text';
import { applyEdits } from '../../../../src/core/runbook/edits';
import type { Fix } from '../../../../src/core/runbook/lint';

/** The text without its « » markers, and the range they enclosed. */
export function marked(source: string): { text: string; range: Range } {
  const open = source.indexOf('«');
  const close = source.indexOf('»');
  if (open === -1 || close < open) throw new Error('test text needs « and »');
  const text = source.slice(0, open) + source.slice(open + 1, close) + source.slice(close + 1);
  const lines = new LineIndex(text);
  return { text, range: lines.range(open, close - 1) };
}

export { applyEdits };

export function applyFix(text: string, fix: Fix): string {
  if (!('edits' in fix)) throw new Error(`fix "${fix.title}" is a command, not edits`);
  return applyEdits(text, fix.edits);
}

const FIXTURES = path.resolve(__dirname, '../../../fixtures/runbooks');

/** The names of the gallery-shaped runbooks in test/fixtures/runbooks. */
export const FIXTURE_NAMES = readdirSync(FIXTURES).sort();

/** A gallery-shaped runbook from test/fixtures/runbooks (its RUNBOOK.md). */
export function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name, 'RUNBOOK.md'), 'utf8');
}

/** The text with `from` replaced by `to`, once; fails the test when `from` is not there (the fixture changed). */
export function replaced(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at === -1) throw new Error(`test text has no ${JSON.stringify(from)}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}
