// What the structure rules share: whether a runbook is held to the structure of Jetty's templates, and which files its
// REQUIRED OUTPUT FILES section names. A runbook that declares `evaluation` is judged by Jetty on the files that
// structure asks for (validation_report.json carries the evaluation); a free-form runbook without it is left alone.
import type { ParsedRunbook } from './parse';
import type { Runbook } from './runbook';
import { bodyStructure, findSection, OUTPUT_FILES_TITLE, plainCell, tablesIn, type Section } from './sections';
import type { Range } from './text';

/** Whether the structure rules apply: the front-matter declares how the run is evaluated. */
export function followsTemplate(runbook: Runbook): boolean {
  const evaluation = runbook.front.evaluation;
  return typeof evaluation === 'string' && evaluation !== '';
}

export function outputFilesSection(parsed: ParsedRunbook): Section | undefined {
  return findSection(parsed, OUTPUT_FILES_TITLE);
}

/**
 * Whether the section names the file: `summary.md`, `{{results_dir}}/summary.md`, `/app/results/summary.md`, in a
 * table, a list or a sentence. `file` is relative to the results directory.
 */
export function namesFile(parsed: ParsedRunbook, section: Section, file: string): boolean {
  const text = parsed.text;
  const path = file.replace(/^\.\//, '');
  if (path === '') return false;
  const end = section.span.end;
  for (
    let at = text.indexOf(path, section.contentStart);
    at !== -1 && at + path.length <= end;
    at = text.indexOf(path, at + 1)
  ) {
    const before = at === section.contentStart ? '\n' : text[at - 1]!;
    const after = at + path.length === end ? '\n' : text[at + path.length]!;
    if (BEFORE_PATH.test(before) && AFTER_PATH.test(after)) return true;
  }
  return false;
}

/** What may stand before and after a file name for it to be that file, not part of a longer name. */
const BEFORE_PATH = /[\s`'"/(|*·,]/;
const AFTER_PATH = /[\s`'")|*·,.:;]/;

/** Where a finding about the body's structure points: its first heading (the title), else the front-matter's `---`. */
export function structureAnchor(runbook: Runbook): Range {
  const first = bodyStructure(runbook.parsed).sections[0];
  if (first) return runbook.range(first.heading);
  return (
    runbook.frontMatter?.openRange ??
    runbook.range({ start: runbook.parsed.bodyOffset, end: runbook.parsed.bodyOffset })
  );
}

/** A file column's header: "File", "Path", "Output file"… (not "Operation", whose rows name deliverables by case). */
const FILE_HEADER = /^(output\s+)?(file|path|filename|output)s?\b/i;
/** A cell's path: `/app/results/x`, `{{results_dir}}/x`, `./x` or `x`, with nothing that makes it a pattern. */
const RESULTS_PREFIX = /^(\/app\/results\/|\{\{\s*results_dir\s*\}\}\/|\.\/)/;

/**
 * The files the REQUIRED OUTPUT FILES section's tables list in their file column, relative to the results directory,
 * in order: what a run must bring home. Patterns, placeholders and folders (`page_*.pdf`, `{name}`, `images/`) are
 * not single files and are left out.
 */
export function requiredOutputs(parsed: ParsedRunbook): string[] {
  const section = outputFilesSection(parsed);
  if (!section) return [];
  const files: string[] = [];
  for (const table of tablesIn(parsed, section.contentStart, section.span.end)) {
    const column = table.header.cells.findIndex((cell) => FILE_HEADER.test(plainCell(cell.text)));
    if (column === -1) continue;
    for (const row of table.rows) {
      const cell = row.cells[column];
      const path = cell && plainCell(cell.text).replace(RESULTS_PREFIX, '');
      if (!path || /[\s*?{}<>[\]]/.test(path) || path.endsWith('/') || path.startsWith('/')) continue;
      if (!files.includes(path)) files.push(path);
    }
  }
  return files;
}
