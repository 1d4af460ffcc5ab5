// The run parameters a runbook declares: the `{{name}}`s a run passes as template variables (Jetty's
// `template_variables`), with the default and description its `## Parameters` section gives them. Lint, hover and
// completion read them, and a run asks for them. Tolerant of how the gallery writes them.
import { TEMPLATE_VARIABLES } from '../catalog';
import type { ParsedRunbook } from './parse';
import {
  bodyStructure,
  plainCell,
  tablesIn,
  type Section,
  type Table,
  type TableCell,
  type TableRow,
} from './sections';
import { findTemplateVariables, secretName, type TemplateVariable } from './template';
import type { Span } from './text';

export interface RunbookParameter {
  /** What the body writes between the braces: `{{name}}`. */
  name: string;
  /** The default value, when the runbook gives one. */
  default?: string;
  /** What it is for, as the runbook says it (markdown). */
  description?: string;
  /** No default and not marked optional: a run must be given a value. */
  required: boolean;
  /** The Parameter column (or the Inputs label) as prose: "Top-N limit". */
  label?: string;
  /**
   * Whether a step uses `{{name}}` (anywhere but the Parameters sections; an Inputs list counts). An unused `label`
   * parameter cannot carry a value to the agent at all; an unused `variable` one shows it only in the table.
   */
  used: boolean;
  /** Where it is declared: its table row's name cell, or the `{{name}}` that declares it. */
  span: Span;
  /**
   * `variable`: written as `{{name}}` (a Template Variable column, a list, a sentence); `label`: read from the
   * Parameter column (`` `top_n` ``, or its words in snake_case), where the agent may be meant to read it from the table.
   */
  declaredBy: 'variable' | 'label';
}

/** A `## Parameters` section: any level, `Step N:` prefix allowed (the section's name is without it). */
const PARAMETERS_TITLE = /^(?:run\s+|template\s+)?parameters\b/i;
/** "Inputs", "Inputs (already provided)", "Input — …"; not "Input Data Contract". */
const INPUTS_TITLE = /^inputs?\s*(?:$|[(:—–-])/i;
const RESULTS_LABEL = /^results?\s+dir(ectory)?$/i;
const JETTY_VARIABLES: ReadonlySet<string> = new Set(TEMPLATE_VARIABLES.map((v) => v.name));

/** A parameter name as Jetty's variables are written. */
const NAME = /^[A-Za-z_][\w-]*$/;

/** A declaration as lint needs it: the name, where, how, and whether the body uses it. */
export interface ParameterDeclaration {
  name: string;
  span: Span;
  declaredBy: RunbookParameter['declaredBy'];
  used: boolean;
  /** What the rest is read from, when runbookParameters asks: the table row, or the `{{name}}` in the text. */
  source: { row: TableRow; columns: Columns; label?: string } | { variable: Span };
}

export interface ParametersView {
  declarations: ParameterDeclaration[];
  /** The Parameters sections, in source order (usually one). */
  sections: Section[];
  /** The first table of a Parameters section: where a new parameter's row goes. */
  table: Table | undefined;
}

const views = new WeakMap<ParsedRunbook, ParametersView>();
const details = new WeakMap<ParsedRunbook, RunbookParameter[]>();

/** The runbook's declared run parameters, in declaration order: the Parameters sections first, then Inputs. */
export function runbookParameters(parsed: ParsedRunbook): RunbookParameter[] {
  let parameters = details.get(parsed);
  if (!parameters) {
    parameters = parametersView(parsed).declarations.map((d) => detail(parsed.text, d));
    details.set(parsed, parameters);
  }
  return parameters;
}

/**
 * The declarations with where they are, worked out once per parse; defaults, labels and descriptions are left to
 * runbookParameters, which lint never needs (it runs on every keystroke).
 */
export function parametersView(parsed: ParsedRunbook): ParametersView {
  let view = views.get(parsed);
  if (!view) {
    view = read(parsed);
    views.set(parsed, view);
  }
  return view;
}

/** Whether a variable is one a run passes as a parameter (not one Jetty fills in, not a secret). */
export function isParameterName(name: string): boolean {
  return !JETTY_VARIABLES.has(name) && secretName(name) === undefined && !name.includes('.');
}

const bodyVariableCache = new WeakMap<ParsedRunbook, TemplateVariable[]>();

/** Every `{{variable}}` of the body, found once per parse. */
export function bodyVariables(parsed: ParsedRunbook): TemplateVariable[] {
  let found = bodyVariableCache.get(parsed);
  if (!found) {
    found = findTemplateVariables(parsed.text, parsed.bodyOffset);
    bodyVariableCache.set(parsed, found);
  }
  return found;
}

/**
 * What lint needs, from positions alone (no table is read): the `{{name}}`s written in a Parameters section, those in
 * an Inputs section, and the names used outside the Parameters sections. Any `{{name}}` written in either section is
 * declared, so only a runbook with a `{{name}}` none of them holds needs its tables read for names in words.
 */
export interface VariableDeclarations {
  /** First occurrence of each `{{name}}` in a Parameters section. */
  inParameters: Map<string, Span>;
  /** First occurrence of each `{{name}}` in an Inputs section (outside any Parameters section). */
  inInputs: Map<string, Span>;
  /** Names used outside the Parameters sections (an Inputs list is where the agent reads the value: a use). */
  used: Set<string>;
  parameterSections: Section[];
  inputSections: Section[];
}

const declarationCache = new WeakMap<ParsedRunbook, VariableDeclarations>();

export function variableDeclarations(parsed: ParsedRunbook): VariableDeclarations {
  let found = declarationCache.get(parsed);
  if (found) return found;
  const { sections } = bodyStructure(parsed);
  const parameterSections = sections.filter((s) => PARAMETERS_TITLE.test(s.name));
  const inputSections = sections.filter((s) => INPUTS_TITLE.test(s.name) && !parameterSections.includes(s));
  found = { inParameters: new Map(), inInputs: new Map(), used: new Set(), parameterSections, inputSections };
  for (const variable of bodyVariables(parsed)) {
    if (!isParameterName(variable.name)) continue;
    const span = { start: variable.start, end: variable.end };
    if (within(parameterSections, variable.start)) {
      if (!found.inParameters.has(variable.name)) found.inParameters.set(variable.name, span);
      continue;
    }
    found.used.add(variable.name);
    if (within(inputSections, variable.start) && !found.inInputs.has(variable.name))
      found.inInputs.set(variable.name, span);
  }
  declarationCache.set(parsed, found);
  return found;
}

/** Whether the offset is in one of the sections' content (below its heading). */
function within(sections: readonly Section[], offset: number): boolean {
  for (const s of sections) if (s.contentStart <= offset && offset < s.span.end) return true;
  return false;
}

/**
 * Where a parameter is declared: a table in a Parameters section (fromTable); any other `{{name}}` written in a
 * Parameters section (a list, a sentence); a `{{name}}` in an `## Inputs` section (`- **Scope:** {{scope}} (default
 * `full`)`), where many gallery runbooks show the agent its parameters: that is a declaration and a use at once.
 */
function read(parsed: ParsedRunbook): ParametersView {
  const { inParameters, inInputs, used, parameterSections } = variableDeclarations(parsed);
  const byName = new Map<string, ParameterDeclaration>();
  let firstTable: Table | undefined;
  for (const section of parameterSections) {
    // Nested sections of their own (`### Optional`) belong to it; the span already holds them.
    const tables = tablesIn(parsed, section.contentStart, section.span.end);
    firstTable ??= tables[0];
    for (const table of tables) fromTable(parsed, table, byName);
  }
  // Every other `{{name}}` written in a Parameters section, then in an Inputs section.
  for (const declared of [inParameters, inInputs])
    for (const [name, span] of declared) add(byName, name, span, 'variable', { variable: span });
  const declarations = [...byName.values()];
  for (const declaration of declarations) declaration.used = used.has(declaration.name);
  return { declarations, sections: parameterSections, table: firstTable };
}

/** The first declaration of a name wins. */
function add(
  byName: Map<string, ParameterDeclaration>,
  name: string,
  span: Span,
  declaredBy: ParameterDeclaration['declaredBy'],
  source: ParameterDeclaration['source'],
): void {
  if (!byName.has(name)) byName.set(name, { name, span, declaredBy, used: false, source });
}

function detail(text: string, declaration: ParameterDeclaration): RunbookParameter {
  const { name, span, declaredBy, used, source } = declaration;
  if ('variable' in source)
    return { name, ...labelled(text, source.variable.start, source.variable.end), used, span, declaredBy };
  const { row, columns } = source;
  const nameCell = cellAt(row, columns.name);
  const label = source.label ?? (nameCell ? plainCell(nameCell.text) : '');
  const defaultCell = cellAt(row, columns.default);
  const value = defaultCell ? readDefault(defaultCell.text) : { required: true };
  const requiredCell = cellAt(row, columns.required);
  if (requiredCell) value.required = /^(yes|true|required)\b/i.test(plainCell(requiredCell.text));
  const description = cellAt(row, columns.description)?.text.replace(/\\\|/g, '|');
  return {
    name,
    ...value,
    ...(description ? { description } : {}),
    ...(label ? { label } : {}),
    used,
    span,
    declaredBy,
  };
}

// ── Tables ──────────────────────────────────────────────────────────────────────────────────────────────────────────

export interface Columns {
  name: number;
  variable: number | undefined;
  default: number | undefined;
  description: number | undefined;
  /** A `Required` column (Yes / No / "Yes unless …"), which some runbooks add. */
  required: number | undefined;
}

/** Which column holds what, by the header's words; the first column is the name when no header says so. */
export function tableColumns(table: Table): Columns {
  const headers = table.header.cells.map((c) => plainCell(c.text).toLowerCase());
  const variable = columnOf(headers, /variable|placeholder/);
  return {
    name: columnOf(headers, /^(parameter|param|name|input|option|setting)s?\b/) ?? (variable === 0 ? 1 : 0),
    variable,
    default: columnOf(headers, /default|value/),
    description: columnOf(headers, /description|meaning|purpose|what|notes?\b/),
    required: columnOf(headers, /^required\??$/),
  };
}

function columnOf(headers: readonly string[], test: RegExp): number | undefined {
  const index = headers.findIndex((h) => test.test(h));
  return index === -1 ? undefined : index;
}

function cellAt(row: TableRow, index: number | undefined): TableCell | undefined {
  return index === undefined ? undefined : row.cells[index];
}

/**
 * A Parameters table, in either of Jetty's shapes:
 * - `Parameter | Template Variable | Default | Description`: the name is the `{{name}}` in the Template Variable
 *   column; a row without one there (an uploaded file, `*(uploaded)*`) is not a parameter.
 * - `Parameter | Default | Description`: the name is a `{{name}}` or a `` `name` `` written in the Parameter column,
 *   else the Parameter column in snake_case: "Operation" is `{{operation}}`, "Source repo URL" is
 *   `{{source_repo_url}}`.
 * Columns are found by their header (extra columns are ignored); cells may hold backticks, bold and escaped pipes.
 * A row naming the results directory, or any variable Jetty fills in itself, is not a parameter.
 */
function fromTable(parsed: ParsedRunbook, table: Table, byName: Map<string, ParameterDeclaration>): void {
  const columns = tableColumns(table);
  for (const row of table.rows) {
    const nameCell = cellAt(row, columns.name);
    if (columns.variable !== undefined) {
      const variableCell = cellAt(row, columns.variable);
      const variable =
        variableCell && findTemplateVariables(parsed.text, variableCell.span.start, variableCell.span.end)[0];
      if (!variable || !isParameterName(variable.name)) continue;
      add(byName, variable.name, { start: variable.start, end: variable.end }, 'variable', { row, columns });
      continue;
    }
    if (!nameCell) continue;
    const label = plainCell(nameCell.text);
    const written = findTemplateVariables(parsed.text, nameCell.span.start, nameCell.span.end)[0];
    const code = /`([A-Za-z_][\w-]*)`/.exec(nameCell.text)?.[1];
    const name = written?.name ?? code ?? snakeCase(label);
    if (!name || !NAME.test(name) || !isParameterName(name) || RESULTS_LABEL.test(label)) continue;
    add(
      byName,
      name,
      written ? { start: written.start, end: written.end } : nameCell.span,
      written ? 'variable' : 'label',
      { row, columns, label },
    );
  }
}

/** "Source repo URL" → `source_repo_url`; undefined when no word is left. */
export function snakeCase(label: string): string | undefined {
  const words = label
    .toLowerCase()
    .replace(/\([^)]*\)/g, ' ')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const name = words.join('_');
  return name && /^[a-z_]/.test(name) ? name : undefined;
}

/**
 * A Default cell: a value, or no value with whether one is required. `*(required)*` (or any parenthesised note
 * starting "required") is no default, required; any other parenthesised note (`*(optional)*`, `*(empty)*`,
 * `*(inferred)*`) is no default, not required; an empty cell is no default, required; anything else is the default,
 * without its backticks or surrounding quotes.
 */
export function readDefault(cell: string): { default?: string; required: boolean } {
  const text = cell.replace(/\\\|/g, '|').trim();
  // `*(required)*`, `_(optional)_`, `(empty = all)`: a note, not a value.
  const note = /^([*_]{0,2})\s*\((.*)\)\s*\1$/s.exec(text);
  if (note) return { required: /^\s*required\b/i.test(note[2]!) };
  if (text === '') return { required: true };
  // The same notes written as plain words: `required`, `optional`, `None`, `--`.
  if (/^required\b/i.test(plainCell(text))) return { required: true };
  if (/^(optional|none|empty|n\/a|-+|—|–)$/i.test(plainCell(text))) return { required: false };
  const code = /^`+([^`]*)`+$/.exec(text);
  let value = code ? code[1]! : plainCell(text);
  const quoted = /^"(.*)"$|^'(.*)'$/s.exec(value);
  if (quoted) value = quoted[1] ?? quoted[2]!;
  return { default: value, required: false };
}

// ── Text declarations ───────────────────────────────────────────────────────────────────────────────────────────────

/** For `- **Scope:** {{scope}} (default `full`) — what to audit`: the bold label, the default and what follows. */
function labelled(
  text: string,
  start: number,
  end: number,
): Pick<RunbookParameter, 'label' | 'default' | 'description' | 'required'> {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lf = text.indexOf('\n', end);
  const lineEnd = lf === -1 ? text.length : lf;
  const before = text.slice(lineStart, start);
  const after = text.slice(end, lineEnd).replace(/\r$/, '');
  const bold = [...before.matchAll(/\*\*([^*]+?)\*\*/g)].at(-1)?.[1];
  const label = bold?.replace(/[:\s]+$/, '').trim();
  const defaultMatch = /\(default:?\s+`?([^`)]+?)`?\s*\)/i.exec(after);
  const rest = after
    .replace(/^[`)\s]*/, '')
    .replace(/^[—–:·-]+\s*/, '')
    .trim();
  const optional = /optional/i.test(label ?? '') || /^\(?optional\b/i.test(rest);
  return {
    ...(label ? { label: label.replace(/\s*\(optional\)$/i, '') } : {}),
    ...(defaultMatch ? { default: defaultMatch[1]!.trim() } : {}),
    ...(rest ? { description: rest } : {}),
    required: !defaultMatch && !optional,
  };
}

/** A label for a new row that reads back as `name`: `top_n` → "Top n". */
export function labelFor(name: string): string {
  const words = name.replace(/[_-]+/g, ' ').trim();
  const label = words.charAt(0).toUpperCase() + words.slice(1);
  return snakeCase(label) === name ? label : `\`${name}\``;
}
