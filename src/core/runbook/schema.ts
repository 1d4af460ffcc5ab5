// The front-matter's shape as a zod schema: the one place that says which keys a runbook may have, what type each
// takes and what it means. Lint reads its issues, completion and hover read its descriptions, and `runbookJsonSchema()`
// hands the same thing to other tools as JSON Schema (shipped as dist/runbook.schema.json).
// Facts: ../shared/notes/jetty-runbooks.md ("Front-matter keys") and seeds/000 (mcp_servers).
import * as z from 'zod/mini';
import {
  AGENT_IDS,
  EVALUATION_MODES,
  MAX_CHECKS_TIMEOUT_SEC,
  ORIGIN,
  PROVIDER_IDS,
  type OriginField,
} from '../catalog';

/** The schema, with `text` as its description for completion, hover and the JSON Schema. */
function described<T extends z.ZodMiniType>(schema: T, text: string): T {
  z.globalRegistry.add(schema, { description: text });
  return schema;
}

const nonEmpty = () => z.string().check(z.minLength(1));

const mcpServer = z.strictObject({
  command: described(nonEmpty(), 'The executable that starts the MCP server inside the sandbox, e.g. `npx`.'),
  args: described(z.optional(z.array(z.string())), 'Its arguments, e.g. `["-y", "@playwright/mcp@latest"]`.'),
  env: described(z.optional(z.record(z.string(), z.string())), 'Environment variables for the server process.'),
});

const mcpServers = () =>
  described(
    z.optional(z.record(z.string(), mcpServer)),
    'MCP servers the agent can use, by name → `{command, args?, env?}`. For claude-code the runner writes them to `.jetty/mcp.json` in the sandbox (passed with `--mcp-config`) and allows the `mcp__<name>__*` tools; for codex, to `[mcp_servers]` tables in its config.toml.',
  );

const secret = z.strictObject({
  env: described(
    z.optional(z.string()),
    'The environment variable the value comes from (defaults to the secret name).',
  ),
  description: described(z.optional(z.string()), 'What the secret is for.'),
  required: described(z.optional(z.boolean()), 'Whether the run fails without it.'),
  expose_to_agent: described(z.optional(z.boolean()), "Whether the agent's environment gets it."),
  expose_to_checks: described(z.optional(z.boolean()), "Whether the checks' environment gets it."),
});

const checkSource = z.strictObject({
  name: described(z.string(), 'A name for the checked-out source.'),
  type: described(z.literal('git'), 'Only `git` is supported.'),
  url: described(z.string(), 'The repository URL.'),
  ref: described(z.optional(z.string()), 'Branch, tag or commit.'),
  secret: described(z.optional(z.string()), 'The name of a declared secret used to clone it.'),
});

const codeChecks = z.strictObject({
  executor: described(
    z.optional(z.enum(['jetty', 'agent'])),
    'Who runs the checks: `jetty` after the agent, or the `agent` itself.',
  ),
  timeout_sec: described(
    z.optional(z.number().check(z.positive(), z.maximum(MAX_CHECKS_TIMEOUT_SEC))),
    `How long the checks may take, in seconds (at most ${MAX_CHECKS_TIMEOUT_SEC}).`,
  ),
  sources: described(z.optional(z.array(checkSource)), 'Repositories checked out for the checks.'),
  mcp_servers: mcpServers(),
  // Jetty documents this key without a shape: anything is accepted rather than guessing wrong.
  references: described(z.optional(z.unknown()), 'Reference material for the checks.'),
});

/** Provenance keys: described for completion and hover, never type-checked, and other keys allowed (see ORIGIN). */
function provenance(fields: readonly OriginField[], attribution?: z.ZodMiniType) {
  return z.looseObject(
    Object.fromEntries(
      fields.map((field) => [
        field.name,
        field.name === 'attribution' && attribution
          ? described(z.optional(attribution), field.description)
          : described(z.optional(z.unknown()), field.description),
      ]),
    ),
  );
}

const origin = provenance(ORIGIN.fields, provenance(ORIGIN.attribution));

/**
 * Written with zod/mini rather than classic zod: the same checks and issue codes in 22 KB instead of 450 KB of the
 * bundle that activation loads for every markdown file (measured with esbuild). Lint words its own messages, so zod's
 * are not needed.
 */
export const frontMatterSchema = z.strictObject({
  agent: described(
    z.optional(z.enum(AGENT_IDS)),
    'The runtime that carries out the runbook. If missing, Jetty infers it from the model (`claude-*`, `anthropic/*` → claude-code; `gpt-*`, `o1-`/`o3-`/`o4-` → codex; `gemini-*` → gemini-cli), else claude-code.',
  ),
  model: described(
    z.optional(nonEmpty()),
    'The model ID, spelled as the provider wants it (Bedrock: `us.anthropic.…`; OpenRouter: `vendor/name`).',
  ),
  model_provider: described(
    z.optional(z.enum(PROVIDER_IDS)),
    "Who serves the model. If missing, Jetty infers it from the agent (claude-code → anthropic, codex → openai, gemini-cli → google, opencode → openrouter). Jetty's own advice: always set it.",
  ),
  snapshot: described(z.optional(nonEmpty()), 'The sandbox image by name, e.g. `python312-uv`. Excludes `image`.'),
  image: described(
    z.optional(nonEmpty()),
    'A custom container image instead of a snapshot (Docker Hub, GHCR, Google Artifact Registry, ECR Public). Excludes `snapshot`.',
  ),
  version: described(
    z.optional(z.string()),
    'The runbook\'s own version, e.g. `"1.0.0"` (quoted, so YAML keeps it a string).',
  ),
  evaluation: described(
    z.optional(z.enum(EVALUATION_MODES.map((m) => m.id) as ['programmatic', 'rubric'])),
    'How the run is judged: `programmatic` or `rubric`.',
  ),
  strict_evaluation: described(
    z.optional(z.boolean()),
    'When true, agent checks that are not reported count as errors instead of skipped.',
  ),
  primary_outputs: described(
    z.optional(z.union([z.string(), z.array(z.string())])),
    "The run's main outputs: paths relative to `results_dir`. `summary.md` and `validation_report.json` do not belong here.",
  ),
  // `secrets:` with nothing after it is what Jetty's own templates write when there are none: YAML reads it as null.
  secrets: described(
    z.optional(z.nullable(z.record(z.string(), z.nullable(secret)))),
    'Secrets the run needs, by name → `{env, description, required, expose_to_agent, expose_to_checks}`: names only, never values. Use them in the body as `{{secrets.NAME}}`. Empty (`secrets:` alone) means none.',
  ),
  code_checks: described(
    z.optional(codeChecks),
    'Checks that run after the agent: `{executor, timeout_sec, sources, mcp_servers, references}`.',
  ),
  mcp_servers: mcpServers(),
  origin: described(z.optional(origin), ORIGIN.description),
});

export type FrontMatterData = z.infer<typeof frontMatterSchema>;

/** The front-matter keys in their documented order. */
export const FRONT_MATTER_KEYS = Object.keys(frontMatterSchema.shape) as (keyof FrontMatterData)[];

/** The front-matter schema as JSON Schema (draft 2020-12), for editors and tools outside this extension. */
export function runbookJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(frontMatterSchema),
    $id: 'https://jetty.io/schemas/runbook-front-matter.json',
    title: 'Jetty runbook front-matter',
  };
}

// ── Reading the schema: what completion and hover need to know about a key at a path ─────────────────────────────────

export type KeyKind = 'enum' | 'string' | 'boolean' | 'number' | 'list' | 'map' | 'object' | 'string-or-list' | 'any';

export interface KeyInfo {
  name: string;
  description: string;
  kind: KeyKind;
  /** Allowed values, for an enum or a literal. */
  values?: readonly string[];
}

type AnySchema = z.core.$ZodType;

function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  for (;;) {
    const def = s._zod.def as { type: string; innerType?: AnySchema };
    if ((def.type === 'optional' || def.type === 'nullable' || def.type === 'default') && def.innerType)
      s = def.innerType;
    else return s;
  }
}

function describe(schema: AnySchema): string {
  // A description sits on the optional wrapper (as written above) or on the inner schema.
  return (z.globalRegistry.get(schema)?.description ??
    z.globalRegistry.get(unwrap(schema))?.description ??
    '') as string;
}

function kindOf(schema: AnySchema): Pick<KeyInfo, 'kind' | 'values'> {
  const inner = unwrap(schema);
  const def = inner._zod.def as {
    type: string;
    entries?: Record<string, string>;
    values?: unknown[];
    options?: AnySchema[];
  };
  switch (def.type) {
    case 'enum':
      return { kind: 'enum', values: Object.values(def.entries ?? {}) };
    case 'literal':
      return { kind: 'enum', values: (def.values ?? []).map(String) };
    case 'string':
      return { kind: 'string' };
    case 'boolean':
      return { kind: 'boolean', values: ['true', 'false'] };
    case 'number':
      return { kind: 'number' };
    case 'array':
      return { kind: 'list' };
    case 'record':
      return { kind: 'map' };
    case 'object':
      return { kind: 'object' };
    case 'union':
      return { kind: 'string-or-list' };
    default:
      return { kind: 'any' };
  }
}

/** The object schema found by following `path` (mapping keys; record entries take any name), or undefined. */
function objectAt(path: readonly (string | number)[]): z.ZodMiniObject | undefined {
  let schema: AnySchema = frontMatterSchema;
  for (const step of path) {
    const inner = unwrap(schema);
    const def = inner._zod.def as {
      type: string;
      shape?: Record<string, AnySchema>;
      valueType?: AnySchema;
      element?: AnySchema;
    };
    if (def.type === 'object' && def.shape?.[String(step)]) schema = def.shape[String(step)]!;
    else if (def.type === 'record' && def.valueType) schema = def.valueType;
    else if (def.type === 'array' && def.element) schema = def.element;
    else return undefined;
  }
  const inner = unwrap(schema);
  if ((inner._zod.def as { type: string }).type === 'record') {
    // A record's keys are free names (a secret's NAME, a server's name): there are no keys to offer at its level.
    return undefined;
  }
  return (inner._zod.def as { type: string }).type === 'object' ? (inner as z.ZodMiniObject) : undefined;
}

/** The keys an object at `path` may have ([] for the top level), with their descriptions. */
export function keysAt(path: readonly (string | number)[]): KeyInfo[] {
  const object = objectAt(path);
  if (!object) return [];
  return Object.entries(object.shape as Record<string, AnySchema>).map(([name, schema]) => ({
    name,
    description: describe(schema),
    ...kindOf(schema),
  }));
}

/** What the schema says about the key at `path` (the last step is the key), or undefined when it is not a known key. */
export function keyInfo(path: readonly (string | number)[]): KeyInfo | undefined {
  if (path.length === 0) return undefined;
  const name = String(path[path.length - 1]);
  return keysAt(path.slice(0, -1)).find((k) => k.name === name);
}
