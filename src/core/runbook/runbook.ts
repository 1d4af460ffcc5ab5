// A parsed runbook as the lint rules see it: the parse result plus the facts several rules need (the runtime it will run
// with, the schema's issues located in the source, its template variables), each worked out once, on first use.
import type * as z from 'zod/mini';
import { AGENTS, isAgentId, isProviderId, resolveRuntime, type AgentId, type ProviderId } from '../catalog';
import { assessModel, type ModelVerdict } from './assess';
import {
  entryOf,
  frontMatterMapping,
  locate,
  type FrontMatter,
  type FrontMatterEntry,
  type ParsedRunbook,
} from './parse';
import { frontMatterSchema } from './schema';
import { bodyVariables } from './parameters';
import type { TemplateVariable } from './template';
import type { Range, Span } from './text';

export interface Runtime {
  agent: AgentId;
  provider: ProviderId | undefined;
  model: string | undefined;
  agentInferred: boolean;
  providerInferred: boolean;
  /** `agent` is written but is not an agent Jetty knows (value-enum reports it; model rules stay quiet). */
  agentInvalid: boolean;
  providerInvalid: boolean;
}

/** Which rule reports a schema issue. */
export type SchemaIssueRule = 'key-unknown' | 'key-required' | 'value-type' | 'value-enum' | 'checks-timeout';

export interface SchemaIssue {
  rule: SchemaIssueRule;
  /** Path to the offending value (for key-unknown: to the unknown key itself). */
  path: (string | number)[];
  /** Where to point: the value, or the key when there is no value to point at. */
  span: Span;
  /** The value found there (undefined when missing). */
  input: unknown;
  issue: { code: string; expected?: string; values?: readonly unknown[]; maximum?: unknown };
}

export class Runbook {
  /** The front-matter mapping, or {} when there is none or it is not a mapping. */
  readonly front: Readonly<Record<string, unknown>>;
  private cachedRuntime: Runtime | undefined;
  private cachedIssues: SchemaIssue[] | undefined;
  private cachedVariables: TemplateVariable[] | undefined;
  private cachedVerdict: ModelVerdict | null | undefined;

  constructor(readonly parsed: ParsedRunbook) {
    this.front = frontMatterMapping(parsed) ?? {};
  }

  get frontMatter(): FrontMatter | undefined {
    return this.parsed.frontMatter;
  }

  get hasYamlErrors(): boolean {
    return (this.parsed.frontMatter?.errors.length ?? 0) > 0;
  }

  /** The last occurrence of a top-level key (the one YAML readers keep). */
  entry(key: string): FrontMatterEntry | undefined {
    return entryOf(this.parsed, key);
  }

  range(span: Span): Range {
    return this.parsed.lines.rangeOf(span);
  }

  get runtime(): Runtime {
    if (!this.cachedRuntime) {
      const front = this.front;
      const resolved = resolveRuntime(front);
      this.cachedRuntime = {
        ...resolved,
        model: typeof front.model === 'string' && front.model !== '' ? front.model : undefined,
        agentInvalid: front.agent !== undefined && front.agent !== null && !isAgentId(front.agent),
        providerInvalid:
          front.model_provider !== undefined && front.model_provider !== null && !isProviderId(front.model_provider),
      };
    }
    return this.cachedRuntime;
  }

  /** Whether the explicit provider is one the agent cannot use. */
  get providerUnsupported(): boolean {
    const { agent, provider, providerInferred } = this.runtime;
    return !providerInferred && provider !== undefined && !AGENTS[agent].providers.includes(provider);
  }

  /** The catalog's verdict on the model, or undefined when there is no model or the agent is invalid. */
  get modelVerdict(): ModelVerdict | undefined {
    if (this.cachedVerdict === undefined) {
      const { model, agent, provider, agentInvalid } = this.runtime;
      this.cachedVerdict = model === undefined || agentInvalid ? null : assessModel(model, agent, provider);
    }
    return this.cachedVerdict ?? undefined;
  }

  get templateVariables(): TemplateVariable[] {
    this.cachedVariables ??= bodyVariables(this.parsed);
    return this.cachedVariables;
  }

  /** The schema's complaints about the front-matter, each placed on the key or value it is about. */
  get schemaIssues(): SchemaIssue[] {
    if (!this.cachedIssues) {
      const frontMatter = this.parsed.frontMatter;
      const data = frontMatter?.data;
      const isMapping = data !== null && typeof data === 'object' && !Array.isArray(data);
      this.cachedIssues = frontMatter && isMapping ? locateIssues(frontMatter, data) : [];
    }
    return this.cachedIssues;
  }
}

function locateIssues(frontMatter: FrontMatter, data: unknown): SchemaIssue[] {
  const result = frontMatterSchema.safeParse(data);
  if (result.success) return [];
  const issues: SchemaIssue[] = [];
  for (const issue of result.error.issues as (z.core.$ZodIssue & {
    keys?: string[];
    values?: unknown[];
    expected?: string;
    maximum?: unknown;
  })[]) {
    const path = issue.path as (string | number)[];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys ?? []) {
        const at = locate(frontMatter, [...path, key]);
        if (!at?.keySpan) continue;
        issues.push({
          rule: 'key-unknown',
          path: [...path, key],
          span: at.keySpan,
          input: undefined,
          issue: { code: issue.code },
        });
      }
      continue;
    }
    const input = valueAt(data, path);
    const at = locate(frontMatter, path);
    let rule: SchemaIssueRule;
    let span = at?.valueSpan ?? at?.keySpan;
    if (input === undefined) {
      // A required key is missing: point at the key of the object that lacks it.
      rule = 'key-required';
      const parent = locate(frontMatter, path.slice(0, -1));
      span = parent?.keySpan ?? parent?.valueSpan;
    } else if (issue.code === 'invalid_value') {
      rule = 'value-enum';
    } else if (issue.code === 'too_big' && path.join('.') === 'code_checks.timeout_sec') {
      rule = 'checks-timeout';
    } else {
      rule = 'value-type';
    }
    if (!span) continue;
    issues.push({
      rule,
      path,
      span,
      input,
      issue: { code: issue.code, expected: issue.expected, values: issue.values, maximum: issue.maximum },
    });
  }
  return issues;
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let value = data;
  for (const step of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[step];
  }
  return value;
}
