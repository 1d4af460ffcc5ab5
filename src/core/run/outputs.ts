// What came home from a run, as Jetty's UI shows it: the main output (the runbook's `primary_outputs` that were
// written, in its order, else the first file the agent wrote) ahead of everything else.
import fs from 'node:fs';
import path from 'node:path';
import { RESERVED_OUTPUTS } from '../catalog';

/** `primary_outputs` as written (a path or a list of paths, relative to {{results_dir}}), without `./`. */
export function primaryOutputsOf(value: unknown): string[] {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  return list
    .filter((p): p is string => typeof p === 'string' && p.trim() !== '')
    .map((p) => p.trim().replace(/^(\.\/)+/, ''));
}

/**
 * The run's main outputs, most important first: the declared ones that came home, else the first file written (by
 * modification time, then name) that is not one of the reports Jetty reads (summary.md, validation_report.json).
 */
export function primaryFiles(declared: readonly string[], results: readonly string[], resultsFolder: string): string[] {
  const home = new Set(results);
  const found = declared.filter((p) => home.has(p));
  if (found.length) return found;
  const candidates = results.filter((f) => !RESERVED_OUTPUTS.includes(f));
  const written = (f: string): number => {
    try {
      return fs.statSync(path.join(resultsFolder, f)).mtimeMs;
    } catch {
      return Infinity;
    }
  };
  const first = candidates.map((f) => ({ f, at: written(f) })).sort((a, b) => a.at - b.at || a.f.localeCompare(b.f))[0];
  return first ? [first.f] : [];
}
