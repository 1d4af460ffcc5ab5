// Building blocks for quick fixes: set a front-matter key, switch the agent, remove an entry or a list item. Each returns
// text edits in the runbook's own line/character terms, keeping its line endings and indentation; none returns an edit it
// cannot make safely (a flow-style `{...}` front-matter, say): the fix is then simply not offered.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { AGENTS, type AgentId } from '../catalog';
import type { TextEdit } from './lint';
import type { Runbook } from './runbook';
import { labelFor, parametersView, tableColumns } from './parameters';
import { FRONT_MATTER_KEYS } from './schema';
import { findSection, OBJECTIVE_TITLE, OUTPUT_FILES_TITLE } from './sections';
import { LineIndex, type Span } from './text';

/** A YAML scalar for `value`, quoted only when plain style would change its meaning. */
export function yamlScalar(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  const plain =
    /^[A-Za-z0-9_./][\w./:@+-]*$/.test(value) &&
    !/^(true|false|yes|no|on|off|null|~|[-+]?[\d.]+(e[-+]?\d+)?)$/i.test(value);
  return plain && !value.includes(': ') ? value : JSON.stringify(value);
}

/** The text with the edits made, as an editor makes a WorkspaceEdit (none may overlap another). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const spans = edits.map((e) => ({
    start: lines.offsetAt(e.range.start),
    end: lines.offsetAt(e.range.end),
    newText: e.newText,
  }));
  spans.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + s.newText + out.slice(s.end);
  return out;
}

export function replaceSpan(runbook: Runbook, span: Span, newText: string): TextEdit {
  return { range: runbook.range(span), newText };
}

/** Sets a top-level key: replaces the value it has (its last occurrence), or adds a `key: value` line. */
export function setKey(runbook: Runbook, key: string, value: string | number | boolean): TextEdit[] | undefined {
  const text = yamlScalar(value);
  const entry = runbook.entry(key);
  if (entry?.valueSpan) {
    const span = entry.valueSpan;
    // `key:` with nothing after the colon: the value goes after a space.
    const newText = span.start === span.end && runbook.parsed.text[span.start - 1] === ':' ? ` ${text}` : text;
    return [replaceSpan(runbook, span, newText)];
  }
  if (entry) return undefined;
  const insert = insertKeyLines(runbook, key, [`${key}: ${text}`]);
  return insert && [insert];
}

/** Switches the agent, and the provider too when the one written is not one the new agent can use. */
export function switchAgent(runbook: Runbook, agent: AgentId): TextEdit[] | undefined {
  const edits = setKey(runbook, 'agent', agent);
  if (!edits) return undefined;
  const { provider, providerInferred } = runbook.runtime;
  const fallback = AGENTS[agent].defaultProvider ?? AGENTS[agent].providers[0];
  if (!providerInferred && provider !== undefined && !AGENTS[agent].providers.includes(provider) && fallback) {
    const providerEdits = setKey(runbook, 'model_provider', fallback);
    if (!providerEdits) return undefined;
    edits.push(...providerEdits);
  }
  return mergeInsertions(edits);
}

/** Deletes whole lines from the start of `span`'s line to the end of the line where `span` ends. */
export function deleteLines(runbook: Runbook, span: Span): TextEdit {
  const lines = runbook.parsed.lines;
  const first = lines.positionAt(span.start).line;
  const last = lines.positionAt(Math.max(span.start, span.end)).line;
  const start = lines.lineStart(first) ?? span.start;
  const end = lines.lineStart(last + 1) ?? runbook.parsed.text.length;
  return { range: lines.range(start, end), newText: '' };
}

/** Removes a `key: value` pair given the span from its key to the end of its value. */
export function removeEntry(runbook: Runbook, keySpan: Span, valueSpan: Span | undefined): TextEdit {
  return deleteLines(runbook, {
    start: keySpan.start,
    end: valueSpan ? Math.max(valueSpan.end - 1, keySpan.end) : keySpan.end,
  });
}

/** Removes item `index` of the list at a top-level key; the whole key when it is the only item or a single string. */
export function removeListItem(runbook: Runbook, key: string, index: number | undefined): TextEdit[] | undefined {
  const entry = runbook.entry(key);
  if (!entry) return undefined;
  const list = entry.pair.value as Node | null;
  if (index === undefined || !isSeq(list) || list.items.length <= 1)
    return [removeEntry(runbook, entry.keySpan, entry.valueSpan)];
  const item = list.items[index] as Node | undefined;
  if (!item?.range) return undefined;
  if (!list.flow) return [deleteLines(runbook, { start: item.range[0], end: item.range[1] - 1 })];
  // Flow list `[a, b, c]`: take the item with the comma after it (or, for the last item, the comma before it).
  const next = list.items[index + 1] as Node | undefined;
  const previous = list.items[index - 1] as Node | undefined;
  const span = next?.range
    ? { start: item.range[0], end: next.range[0] }
    : previous?.range
      ? { start: previous.range[1], end: item.range[1] }
      : undefined;
  return span && [replaceSpan(runbook, span, '')];
}

/** Adds `NAME:` with `env: NAME` under `secrets:` (creating the block if needed). */
export function declareSecret(runbook: Runbook, name: string): TextEdit[] | undefined {
  const eol = runbook.parsed.eol;
  const entry = runbook.entry('secrets');
  const secrets = entry?.pair.value as Node | null | undefined;
  const item = [`${name}:`, `  env: ${yamlScalar(name)}`];
  const itemBlock = (indent: string) => item.map((l) => indent + l + eol).join('');
  if (!entry) {
    const insert = insertKeyLines(runbook, 'secrets', ['secrets:', ...item.map((l) => '  ' + l)]);
    return insert && [insert];
  }
  const keyIndent = indentOf(runbook, entry.keySpan.start);
  if (isMap(secrets) && !secrets.flow && secrets.items.length > 0) {
    const firstKey = secrets.items[0]!.key as Node;
    if (!firstKey.range) return undefined;
    const lines = runbook.parsed.lines;
    const at = lines.lineStart(lines.positionAt(firstKey.range[0]).line) ?? firstKey.range[0];
    return [{ range: lines.range(at, at), newText: itemBlock(indentOf(runbook, firstKey.range[0])) }];
  }
  if (secrets === null || secrets === undefined || (isScalar(secrets) && secrets.value === null)) {
    // `secrets:` with nothing under it.
    const lines = runbook.parsed.lines;
    const next = lines.lineStart(lines.positionAt(entry.keySpan.start).line + 1) ?? runbook.parsed.text.length;
    const lead = next === runbook.parsed.text.length && !/[\r\n]$/.test(runbook.parsed.text) ? eol : '';
    return [{ range: lines.range(next, next), newText: lead + itemBlock(keyIndent + '  ') }];
  }
  return undefined;
}

/**
 * New top-level lines (`key: value`, or a key with its block under it) at the key's place in the documented key order,
 * or a new front-matter holding them when there is none.
 */
function insertKeyLines(runbook: Runbook, key: string, block: readonly string[]): TextEdit | undefined {
  const { parsed } = runbook;
  const eol = parsed.eol;
  const frontMatter = parsed.frontMatter;
  const lines = parsed.lines;
  if (!frontMatter) {
    const at = parsed.bom ? 1 : 0;
    return { range: lines.range(at, at), newText: `---${eol}${block.map((l) => l + eol).join('')}---${eol}` };
  }
  const contents = frontMatter.document.contents;
  const empty = contents === null || (isScalar(contents) && contents.value === null && !contents.source);
  if (!empty && !(isMap(contents) && !contents.flow)) return undefined;
  const indent = topLevelIndent(runbook);
  const text = block.map((l) => indent + l + eol).join('');
  const order = FRONT_MATTER_KEYS.indexOf(key as (typeof FRONT_MATTER_KEYS)[number]);
  const before = frontMatter.entries.find((e) => {
    const index = FRONT_MATTER_KEYS.indexOf(e.key as (typeof FRONT_MATTER_KEYS)[number]);
    return index > order && order >= 0;
  });
  if (before) {
    const at = lines.lineStart(before.keyRange.start.line) ?? before.keySpan.start;
    return { range: lines.range(at, at), newText: text };
  }
  const at = frontMatter.content.end;
  const previous = parsed.text.charCodeAt(at - 1);
  const atLineStart = at === frontMatter.content.start || previous === 10 || previous === 13;
  return { range: lines.range(at, at), newText: (atLineStart ? '' : eol) + text };
}

function topLevelIndent(runbook: Runbook): string {
  const first = runbook.frontMatter?.entries[0];
  return first ? indentOf(runbook, first.keySpan.start) : '';
}

function indentOf(runbook: Runbook, offset: number): string {
  const lines = runbook.parsed.lines;
  const start = lines.lineStart(lines.positionAt(offset).line) ?? offset;
  const lead = runbook.parsed.text.slice(start, offset);
  return /^[ \t]*$/.test(lead) ? lead : '';
}

/** Two insertions at the same point (agent and model_provider into an empty spot) become one, in order. */
function mergeInsertions(edits: TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const edit of edits) {
    const same = out.find(
      (e) =>
        e.range.start.line === edit.range.start.line &&
        e.range.start.character === edit.range.start.character &&
        e.range.end.line === e.range.start.line &&
        e.range.end.character === e.range.start.character &&
        edit.range.end.line === edit.range.start.line &&
        edit.range.end.character === edit.range.start.character,
    );
    if (same) same.newText += edit.newText;
    else out.push(edit);
  }
  return out;
}

/**
 * Declares a run parameter: a row at the end of the Parameters table (in its own columns), else a table under the
 * Parameters heading, else a new `## Parameters` section after the output files (or the objective, or at the end).
 */
export function declareParameter(runbook: Runbook, name: string): TextEdit[] {
  const { parsed } = runbook;
  const eol = parsed.eol;
  const lines = parsed.lines;
  const { table, sections } = parametersView(parsed);
  const label = labelFor(name);
  if (table) {
    const columns = tableColumns(table);
    const cells = table.header.cells.map((_, index) =>
      index === columns.name
        ? label
        : index === columns.variable
          ? `\`{{${name}}}\``
          : index === columns.default
            ? '*(required)*'
            : '',
    );
    const row = `| ${cells.join(' | ')} |`.replace(/ {2}\|/g, ' |');
    // On the line after the table's last row (or after it, when the table ends the text).
    const at = lines.lineStart(lines.positionAt(table.span.end).line + 1);
    if (at === undefined) return [{ range: lines.range(table.span.end, table.span.end), newText: eol + row }];
    return [{ range: lines.range(at, at), newText: row + eol }];
  }
  const newTable = [
    '| Parameter | Template Variable | Default | Description |',
    '|-----------|-------------------|---------|-------------|',
    `| ${label} | \`{{${name}}}\` | *(required)* | |`,
  ];
  const section = sections[0];
  if (section) {
    const at = section.contentStart;
    const lead = at === parsed.text.length && !/[\r\n]$/.test(parsed.text) ? eol : '';
    return [{ range: lines.range(at, at), newText: lead + eol + newTable.join(eol) + eol + eol }];
  }
  const after = findSection(parsed, OUTPUT_FILES_TITLE) ?? findSection(parsed, OBJECTIVE_TITLE);
  const block = ['## Parameters', '', ...newTable, ''].join(eol) + eol;
  if (after && after.span.end < parsed.text.length) {
    const at = after.span.end;
    // A blank line before the heading, unless the section already ends with one.
    const lead = /\n\r?\n$/.test(parsed.text.slice(Math.max(0, at - 4), at)) ? '' : eol;
    return [{ range: lines.range(at, at), newText: lead + block }];
  }
  const end = parsed.text.length;
  const lead =
    end === parsed.bodyOffset || /(\r?\n){2}$/.test(parsed.text) ? '' : /\r?\n$/.test(parsed.text) ? eol : eol + eol;
  return [{ range: lines.range(end, end), newText: lead + ['## Parameters', '', ...newTable].join(eol) + eol }];
}
