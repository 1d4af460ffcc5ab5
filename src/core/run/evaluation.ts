// Jetty's evaluation of a run: the agent's own `validation_report.json` in the results folder, read tolerantly. Jetty's
// gallery shows the documented shape ({version, run_date, parameters, stages: [{name, passed, message}], results:
// {pass, partial, fail}, overall_passed, output_files}) beside variants agents write anyway (stages with `stage` and a
// `status` word, results as other counters): whatever cannot be read is left out, never guessed, and nothing throws.
import fs from 'node:fs';
import path from 'node:path';
import { clip, errorMessage } from '../text';

export const REPORT_FILE = 'validation_report.json';
/** Larger than any report an agent writes; a bigger file is not read at all. */
export const MAX_REPORT_BYTES = 1024 * 1024;
const MAX_STAGES = 500;
const MAX_TEXT = 2000;

/** run.json's `eval`, in Jetty's own field names (its trajectory.json carries the same object). */
export interface RunEval {
  overall_passed: boolean;
  pass: number;
  partial: number;
  fail: number;
}

export type StageOutcome = 'pass' | 'partial' | 'fail' | 'unknown';

export interface ReportStage {
  name: string;
  outcome: StageOutcome;
  message?: string;
}

export interface EvaluationReport {
  version?: string;
  run_date?: string;
  /** Parameter values as the report gives them (strings, numbers and booleans only). */
  parameters: Record<string, string>;
  stages: ReportStage[];
  /** The report's own counters when it has Jetty's {pass, partial, fail}. */
  results?: { pass: number; partial: number; fail: number };
  overall_passed?: boolean;
  /** As written by the agent (often absolute: /app/results/…). */
  output_files: string[];
}

export type ReportReading =
  | { ok: true; report: EvaluationReport }
  /** `missing`: no report; `unreadable`: too big, not JSON, or not an object (`problem` says which). */
  | { ok: false; reason: 'missing' | 'unreadable'; problem?: string };

/** Parses a report's text. Never throws. */
export function parseEvaluationReport(text: string): ReportReading {
  if (text.length > MAX_REPORT_BYTES) return { ok: false, reason: 'unreadable', problem: 'it is larger than 1 MB' };
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { ok: false, reason: 'unreadable', problem: 'it is not valid JSON' };
  }
  if (!isObject(value)) return { ok: false, reason: 'unreadable', problem: 'it is not a JSON object' };
  const report: EvaluationReport = {
    parameters: parameters(value.parameters),
    stages: Array.isArray(value.stages) ? value.stages.slice(0, MAX_STAGES).flatMap(stage) : [],
    output_files: Array.isArray(value.output_files)
      ? value.output_files.filter((f): f is string => typeof f === 'string').map((f) => clip(f, MAX_TEXT))
      : [],
  };
  const version = scalar(value.version);
  if (version !== undefined) report.version = version;
  const date = typeof value.run_date === 'string' ? value.run_date : undefined;
  if (date) report.run_date = clip(date, MAX_TEXT);
  const results = isObject(value.results) ? value.results : undefined;
  if (results && [results.pass, results.partial, results.fail].every(isCount))
    report.results = { pass: results.pass as number, partial: results.partial as number, fail: results.fail as number };
  const overall = truth(value.overall_passed);
  if (overall !== undefined) report.overall_passed = overall;
  return { ok: true, report };
}

/** Reads `<resultsFolder>/validation_report.json`. Never throws. */
export async function readEvaluationReport(resultsFolder: string): Promise<ReportReading> {
  const file = path.join(resultsFolder, REPORT_FILE);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch {
    return { ok: false, reason: 'missing' };
  }
  try {
    const { size } = await handle.stat();
    if (!(size <= MAX_REPORT_BYTES)) return { ok: false, reason: 'unreadable', problem: 'it is larger than 1 MB' };
    return parseEvaluationReport(await handle.readFile('utf8'));
  } catch (error) {
    return { ok: false, reason: 'unreadable', problem: errorMessage(error) };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * run.json's `eval` from a report: its own counters when it has Jetty's, else its stages counted; `overall_passed` as
 * it says, else (a report that does not say) whether it has stages and none failed. Undefined when the report says
 * nothing at all to judge by.
 */
export function evalOf(report: EvaluationReport): RunEval | undefined {
  const counted = { pass: 0, partial: 0, fail: 0 };
  for (const s of report.stages) if (s.outcome !== 'unknown') counted[s.outcome]++;
  const counts = report.results ?? counted;
  const judged = counted.pass + counted.partial + counted.fail > 0;
  const overall = report.overall_passed ?? (judged ? counted.fail === 0 : undefined);
  if (overall === undefined) return undefined;
  return { overall_passed: overall, ...counts };
}

/** A run.json `eval` written by someone else (a newer version, a hand edit): kept only when it has the four fields. */
export function asRunEval(value: unknown): RunEval | undefined {
  if (!isObject(value) || typeof value.overall_passed !== 'boolean') return undefined;
  if (![value.pass, value.partial, value.fail].every(isCount)) return undefined;
  return {
    overall_passed: value.overall_passed,
    pass: value.pass as number,
    partial: value.partial as number,
    fail: value.fail as number,
  };
}

/** How an evaluation reads in a few words: `passed · 5 pass · 0 partial · 0 fail`. */
export function describeEval(e: RunEval): string {
  return `${e.overall_passed ? 'passed' : 'failed'} · ${e.pass} pass · ${e.partial} partial · ${e.fail} fail`;
}

function stage(value: unknown): ReportStage[] {
  if (!isObject(value)) return [];
  const name = [value.name, value.stage, value.id].find((v) => typeof v === 'string' && v.trim());
  const outcome = outcomeOf(value.passed ?? value.status ?? value.result);
  const message = [value.message, value.details, value.description, value.notes].find(
    (v): v is string => typeof v === 'string' && v.trim() !== '',
  );
  if (name === undefined && outcome === 'unknown') return [];
  return [
    {
      name: clip(typeof name === 'string' ? name : '(unnamed stage)', MAX_TEXT),
      outcome,
      ...(message !== undefined ? { message: clip(message, MAX_TEXT) } : {}),
    },
  ];
}

/** true/false, or the words agents use (pass, passed, ok, partial, passed_with_issues, warn, fail, failed, error…). */
function outcomeOf(value: unknown): StageOutcome {
  if (value === true) return 'pass';
  if (value === false) return 'fail';
  if (typeof value !== 'string') return 'unknown';
  const word = value.trim().toLowerCase();
  if (/^(pass|passed|ok|success|succeeded|true|yes)$/.test(word)) return 'pass';
  if (/^(fail|failed|failure|error|false|no)$/.test(word)) return 'fail';
  if (/partial|caveat|with_issues|warn/.test(word)) return 'partial';
  return 'unknown';
}

function truth(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const outcome = outcomeOf(value);
  return outcome === 'pass' ? true : outcome === 'fail' ? false : undefined;
}

function parameters(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value).slice(0, 100)) {
    const s = scalar(v);
    if (s !== undefined) out[clip(key, 200)] = clip(s, MAX_TEXT);
  }
  return out;
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
