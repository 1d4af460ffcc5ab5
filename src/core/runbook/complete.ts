// Completion in a runbook, as plain data: front-matter keys (with their documentation and a value snippet), values
// (agents, providers, evaluation modes, snapshots, and models filtered by the runbook's agent and provider), and
// `{{variables}}` in the body. Works on half-typed text: the place in the front-matter comes from indentation, not from
// a YAML parse that the line being typed usually breaks.
import {
  AGENTS,
  EVALUATION_MODES,
  modelsFor,
  PROVIDERS,
  SNAPSHOTS,
  TEMPLATE_VARIABLES,
  isAgentId,
  type ProviderId,
} from '../catalog';
import { assessModel } from './assess';
import { runbookParameters, type RunbookParameter } from './parameters';
import { setKey } from './edits';
import type { TextEdit } from './lint';
import type { ParsedRunbook } from './parse';
import { Runbook } from './runbook';
import { keyInfo, keysAt, type KeyInfo } from './schema';
import type { Span } from './text';

export type CompletionKind = 'key' | 'value' | 'agent' | 'provider' | 'model' | 'snapshot' | 'variable';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Text to insert; a snippet (`${1|a,b|}`) when `snippet` is true. */
  insertText: string;
  snippet?: boolean;
  sortText?: string;
  /** Edits elsewhere that go with this choice (a model of another provider also writes `model_provider`). */
  additionalEdits?: TextEdit[];
  /** Open value completion right after inserting a key. */
  retrigger?: boolean;
}

export interface Completion {
  /** The text the chosen entry replaces. */
  span: Span;
  items: CompletionEntry[];
}

export interface CompletionOptions {
  /** Snapshot names beyond Jetty's (the keys of `jetty.daytona.snapshots`). */
  snapshots?: readonly string[];
}

export function completeAt(
  parsed: ParsedRunbook,
  offset: number,
  options: CompletionOptions = {},
): Completion | undefined {
  const frontMatter = parsed.frontMatter;
  if (frontMatter && offset >= frontMatter.content.start && offset <= frontMatter.content.end) {
    return completeFrontMatter(parsed, offset, options);
  }
  if (offset >= parsed.bodyOffset) return completeVariable(parsed, offset);
  return undefined;
}

// ── Front-matter ────────────────────────────────────────────────────────────────────────────────────────────────────

const KEY_LINE = /^([ \t]*)(-[ \t]+)?([\w-]*)$/;
const VALUE_LINE = /^([ \t]*)(-[ \t]+)?([\w-]+):[ \t]*(["']?)([^"'#]*)$/;

function completeFrontMatter(
  parsed: ParsedRunbook,
  offset: number,
  options: CompletionOptions,
): Completion | undefined {
  const text = parsed.text;
  const lineStart = lineStartOf(text, offset);
  const before = text.slice(lineStart, offset);
  const wordEnd = endOfWord(text, offset);

  const keyMatch = KEY_LINE.exec(before);
  if (keyMatch) {
    const indent = keyMatch[1]!.length + (keyMatch[2]?.length ?? 0);
    const path = parentPath(text, parsed.frontMatter!.content.start, lineStart);
    if (path === undefined) return undefined;
    const present = path.length === 0 ? new Set(parsed.frontMatter!.entries.map((e) => e.key)) : new Set<string>();
    const items = keysAt(path)
      .filter((k) => !present.has(k.name))
      .map((k, i) => keyEntry(k, ' '.repeat(indent), i));
    return { span: { start: offset - keyMatch[3]!.length, end: wordEnd }, items };
  }

  const valueMatch = VALUE_LINE.exec(before);
  if (valueMatch) {
    const parent = parentPath(text, parsed.frontMatter!.content.start, lineStart);
    if (parent === undefined) return undefined;
    const path = [...parent, valueMatch[3]!];
    const typed = valueMatch[5]!;
    const items = valueEntries(parsed, path, options);
    if (!items.length) return undefined;
    return { span: { start: offset - typed.length, end: wordEnd }, items };
  }
  return undefined;
}

function keyEntry(key: KeyInfo, indent: string, order: number): CompletionEntry {
  const child = `\n${indent}  `;
  let insertText: string;
  let retrigger = false;
  switch (key.kind) {
    case 'enum':
    case 'boolean':
      insertText = `${key.name}: \${1|${key.values!.join(',')}|}`;
      break;
    case 'list':
    case 'string-or-list':
      insertText = `${key.name}:${child}- $0`;
      break;
    case 'map':
    case 'object':
      insertText = `${key.name}:${child}$0`;
      break;
    default:
      insertText = `${key.name}: $0`;
      retrigger = key.name === 'model' || key.name === 'snapshot';
  }
  return {
    label: key.name,
    kind: 'key',
    detail: KIND_WORDS[key.kind],
    documentation: key.description,
    insertText,
    snippet: true,
    sortText: String(order).padStart(3, '0'),
    retrigger,
  };
}

const KIND_WORDS: Record<KeyInfo['kind'], string> = {
  enum: 'one of a fixed set',
  string: 'text',
  boolean: 'true or false',
  number: 'number',
  list: 'list',
  map: 'map of names',
  object: 'settings',
  'string-or-list': 'path or list of paths',
  any: 'any value',
};

function valueEntries(parsed: ParsedRunbook, path: string[], options: CompletionOptions): CompletionEntry[] {
  const runbook = new Runbook(parsed);
  const key = path.join('.');
  if (key === 'agent') {
    return Object.values(AGENTS).map((a, i) => ({
      label: a.id,
      kind: 'agent' as const,
      detail: a.label,
      documentation: `${a.description}\n\nProviders: ${a.providers.join(', ')}.`,
      insertText: a.id,
      sortText: String(i),
    }));
  }
  if (key === 'model_provider') {
    const { agent } = runbook.runtime;
    return AGENTS[agent].providers.map((p, i) => ({
      label: p,
      kind: 'provider' as const,
      detail: PROVIDERS[p].label,
      documentation: `${PROVIDERS[p].label}, for ${agent}.`,
      insertText: p,
      sortText: String(i),
    }));
  }
  if (key === 'model') return modelEntries(runbook);
  if (key === 'snapshot') {
    const own = (options.snapshots ?? []).filter((s) => !SNAPSHOTS.some((k) => k.name === s));
    return [
      ...SNAPSHOTS.map((s, i) => ({
        label: s.name,
        kind: 'snapshot' as const,
        detail: 'Jetty snapshot',
        documentation: s.description,
        insertText: s.name,
        sortText: `0${i}`,
      })),
      ...own.map((s) => ({
        label: s,
        kind: 'snapshot' as const,
        detail: 'from jetty.daytona.snapshots',
        insertText: s,
        sortText: `1${s}`,
      })),
    ];
  }
  if (key === 'evaluation') {
    return EVALUATION_MODES.map((m) => ({
      label: m.id,
      kind: 'value' as const,
      documentation: m.description,
      insertText: m.id,
    }));
  }
  const info = keyInfo(path);
  return (info?.values ?? []).map((v) => ({
    label: v,
    kind: 'value' as const,
    documentation: info?.description,
    insertText: v,
  }));
}

/**
 * The agent's documented models. With `model_provider` written, only that provider's; without it, every provider's, each
 * choosing a model of another provider than the assumed one also writing `model_provider`, so no choice is one lint flags.
 */
function modelEntries(runbook: Runbook): CompletionEntry[] {
  const { agent, provider, providerInferred, agentInvalid } = runbook.runtime;
  if (agentInvalid && !isAgentId(runbook.front.agent)) return [];
  const candidates = providerInferred ? modelsFor(agent) : modelsFor(agent, provider);
  const entries: CompletionEntry[] = [];
  candidates.forEach((model, i) => {
    const needsProvider = providerInferred && model.provider !== provider;
    const effective: ProviderId = needsProvider ? model.provider : (provider ?? model.provider);
    if (assessModel(model.id, agent, effective).kind !== 'documented') return;
    const additionalEdits = needsProvider ? setKey(runbook, 'model_provider', model.provider) : undefined;
    if (needsProvider && !additionalEdits) return;
    entries.push({
      label: model.id,
      kind: 'model',
      detail: `${PROVIDERS[model.provider].label} · ${model.status}${AGENTS[agent].defaultModel === model.id ? ' · default' : ''}`,
      documentation: `${model.notes}.${needsProvider ? `\n\nAlso writes \`model_provider: ${model.provider}\`.` : ''}\n\nSource: ${model.source}`,
      insertText: model.id,
      sortText: `${model.provider === provider ? 0 : 1}${String(i).padStart(2, '0')}`,
      ...(additionalEdits ? { additionalEdits } : {}),
    });
  });
  return entries;
}

/**
 * The keys (and list positions, as 0) leading to the line starting at `lineStart`, found by indentation: each earlier line
 * whose key sits left of ours is a parent. Undefined when the line sits under something that is not a key.
 */
function parentPath(text: string, contentStart: number, lineStart: number): string[] | undefined {
  const current = lineShape(text.slice(lineStart, endOfLine(text, lineStart)));
  const path: string[] = [];
  let want = current.keyColumn;
  if (current.dash) {
    path.unshift('0');
    want = current.indent;
  }
  let pos = lineStart;
  while (want > 0 && pos > contentStart) {
    const start = lineStartOf(text, pos - 1);
    const line = lineShape(text.slice(start, pos - 1).replace(/\r$/, ''));
    pos = start;
    if (line.blank) continue;
    if (line.keyColumn >= want) {
      if (line.dash && line.indent < want) {
        path.unshift('0');
        want = line.indent;
      }
      continue;
    }
    if (line.key === undefined) return undefined;
    path.unshift(line.key);
    want = line.keyColumn;
    if (line.dash) {
      path.unshift('0');
      want = line.indent;
    }
  }
  return path;
}

function lineShape(line: string): {
  blank: boolean;
  indent: number;
  keyColumn: number;
  dash: boolean;
  key: string | undefined;
} {
  const m = /^([ \t]*)(-[ \t]+)?(?:([\w-]+)[ \t]*:)?/.exec(line)!;
  const indent = m[1]!.length;
  return {
    blank: /^[ \t]*(#.*)?$/.test(line),
    indent,
    keyColumn: indent + (m[2]?.length ?? 0),
    dash: m[2] !== undefined,
    key: m[3],
  };
}

function endOfLine(text: string, offset: number): number {
  const lf = text.indexOf('\n', offset);
  return lf === -1 ? text.length : lf;
}

// ── Body ────────────────────────────────────────────────────────────────────────────────────────────────────────────

function completeVariable(parsed: ParsedRunbook, offset: number): Completion | undefined {
  const text = parsed.text;
  const lineStart = lineStartOf(text, offset);
  const match = /\{\{[ \t]*([\w.-]*)$/.exec(text.slice(lineStart, offset));
  if (!match) return undefined;
  const typed = match[1]!;
  const end = endOfWord(text, offset);
  const closed = /^[ \t]*\}\}/.test(text.slice(end, end + 8));
  const close = closed ? '' : '}}';
  const secrets = new Runbook(parsed).front.secrets;
  const declared =
    secrets !== null && typeof secrets === 'object' && !Array.isArray(secrets) ? Object.keys(secrets) : [];
  const items: CompletionEntry[] = [
    ...runbookParameters(parsed).map((parameter, i) => ({
      label: parameter.name,
      kind: 'variable' as const,
      detail: parameter.label ? `parameter: ${parameter.label}` : 'parameter',
      documentation: describeParameter(parameter),
      insertText: parameter.name + close,
      // The runbook's own parameters first: they are what `{{` is usually typed for in a runbook that has some.
      sortText: `0${String(i).padStart(3, '0')}`,
    })),
    ...TEMPLATE_VARIABLES.map((v) => ({
      label: v.name,
      kind: 'variable' as const,
      detail: 'Jetty variable',
      documentation: v.description,
      insertText: v.name + close,
      sortText: `1${v.name}`,
    })),
    ...declared.map((name) => ({
      label: `secrets.${name}`,
      kind: 'variable' as const,
      detail: 'declared secret',
      documentation: `The value of the secret \`${name}\`, resolved from the environment at run time. Never written to trajectories.`,
      insertText: `secrets.${name}${close}`,
    })),
  ];
  return { span: { start: offset - typed.length, end }, items };
}

/** A parameter's row as markdown: what it is for, its default or that it is required. Shared with hover. */
export function describeParameter(parameter: RunbookParameter): string {
  const value =
    parameter.default !== undefined
      ? `Default: \`${parameter.default}\`.`
      : parameter.required
        ? 'Required: no default, a run must pass a value.'
        : 'Optional, no default.';
  return [parameter.description, value].filter(Boolean).join('\n\n');
}

function lineStartOf(text: string, offset: number): number {
  const lf = text.lastIndexOf('\n', offset - 1);
  const cr = text.lastIndexOf('\r', offset - 1);
  return Math.max(lf, cr) + 1;
}

function endOfWord(text: string, offset: number): number {
  let end = offset;
  while (end < text.length && /[\w.:/@-]/.test(text[end]!)) end++;
  return end;
}
