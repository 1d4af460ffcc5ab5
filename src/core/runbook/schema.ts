// The front-matter's shape as a zod schema: the one place that says which keys a runbook may have, what type each takes
// and what it means. Lint reads its issues, completion and hover read its descriptions, and `runbookJsonSchema()` hands
// the same thing to other tools as JSON Schema (shipped as dist/runbook.schema.json).
// Facts: ../shared/notes/jetty-runbooks.md ("Front-matter keys") and seeds/000 (mcp_servers).
import { z } from 'zod';
import { AGENT_IDS, EVALUATION_MODES, MAX_CHECKS_TIMEOUT_SEC, PROVIDER_IDS } from './catalog';

const mcpServer = z.strictObject({
  command: z.string().min(1).describe('The executable that starts the MCP server inside the sandbox, e.g. `npx`.'),
  args: z.array(z.string()).optional().describe('Its arguments, e.g. `["-y", "@playwright/mcp@latest"]`.'),
  env: z.record(z.string(), z.string()).optional().describe('Environment variables for the server process.'),
});

const mcpServers = z
  .record(z.string(), mcpServer)
  .describe(
    'MCP servers the agent can use, by name → `{command, args?, env?}`. The runner writes them to `.mcp.json` in the sandbox and allows the `mcp__<name>__*` tools.',
  );

const secret = z.strictObject({
  env: z.string().optional().describe('The environment variable the value comes from (defaults to the secret name).'),
  description: z.string().optional().describe('What the secret is for.'),
  required: z.boolean().optional().describe('Whether the run fails without it.'),
  expose_to_agent: z.boolean().optional().describe("Whether the agent's environment gets it."),
  expose_to_checks: z.boolean().optional().describe("Whether the checks' environment gets it."),
});

const checkSource = z.strictObject({
  name: z.string().describe('A name for the checked-out source.'),
  type: z.literal('git').describe('Only `git` is supported.'),
  url: z.string().describe('The repository URL.'),
  ref: z.string().optional().describe('Branch, tag or commit.'),
  secret: z.string().optional().describe('The name of a declared secret used to clone it.'),
});

const codeChecks = z.strictObject({
  executor: z.enum(['jetty', 'agent']).optional().describe('Who runs the checks: `jetty` after the agent, or the `agent` itself.'),
  timeout_sec: z
    .number()
    .positive()
    .max(MAX_CHECKS_TIMEOUT_SEC)
    .optional()
    .describe(`How long the checks may take, in seconds (at most ${MAX_CHECKS_TIMEOUT_SEC}).`),
  sources: z.array(checkSource).optional().describe('Repositories checked out for the checks.'),
  mcp_servers: mcpServers.optional(),
  // Jetty documents this key without a shape: anything is accepted rather than guessing wrong.
  references: z.unknown().optional().describe('Reference material for the checks.'),
});

export const frontMatterSchema = z.strictObject({
  agent: z
    .enum(AGENT_IDS)
    .optional()
    .describe(
      'The runtime that carries out the runbook. If missing, Jetty infers it from the model (`claude-*`, `anthropic/*` → claude-code; `gpt-*`, `o1-`/`o3-`/`o4-` → codex; `gemini-*` → gemini-cli), else claude-code.',
    ),
  model: z.string().min(1).optional().describe('The model ID, spelled as the provider wants it (Bedrock: `us.anthropic.…`; OpenRouter: `vendor/name`).'),
  model_provider: z
    .enum(PROVIDER_IDS)
    .optional()
    .describe(
      "Who serves the model. If missing, Jetty infers it from the agent (claude-code → anthropic, codex → openai, gemini-cli → google, opencode → openrouter). Jetty's own advice: always set it.",
    ),
  snapshot: z.string().min(1).optional().describe('The sandbox image by name, e.g. `python312-uv`. Excludes `image`.'),
  image: z.string().min(1).optional().describe('A custom container image instead of a snapshot (Docker Hub, GHCR, Google Artifact Registry, ECR Public). Excludes `snapshot`.'),
  version: z.string().optional().describe('The runbook\'s own version, e.g. `"1.0.0"` (quoted, so YAML keeps it a string).'),
  evaluation: z
    .enum(EVALUATION_MODES.map((m) => m.id) as ['programmatic', 'rubric'])
    .optional()
    .describe('How the run is judged: `programmatic` or `rubric`.'),
  strict_evaluation: z.boolean().optional().describe('When true, agent checks that are not reported count as errors instead of skipped.'),
  primary_outputs: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe('The run\'s main outputs: paths relative to `results_dir`. `summary.md` and `validation_report.json` do not belong here.'),
  secrets: z
    .record(z.string(), secret.nullable())
    .optional()
    .describe('Secrets the run needs, by name → `{env, description, required, expose_to_agent, expose_to_checks}`: names only, never values. Use them in the body as `{{secrets.NAME}}`.'),
  code_checks: codeChecks.optional().describe('Checks that run after the agent: `{executor, timeout_sec, sources, mcp_servers, references}`.'),
  mcp_servers: mcpServers.optional(),
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
    if ((def.type === 'optional' || def.type === 'nullable' || def.type === 'default') && def.innerType) s = def.innerType;
    else return s;
  }
}

function describe(schema: AnySchema): string {
  // .describe() after .optional() sits on the wrapper; some sit on the inner schema.
  return (z.globalRegistry.get(schema)?.description ?? z.globalRegistry.get(unwrap(schema))?.description ?? '') as string;
}

function kindOf(schema: AnySchema): Pick<KeyInfo, 'kind' | 'values'> {
  const inner = unwrap(schema);
  const def = inner._zod.def as { type: string; entries?: Record<string, string>; values?: unknown[]; options?: AnySchema[] };
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
function objectAt(path: readonly (string | number)[]): z.ZodObject | undefined {
  let schema: AnySchema = frontMatterSchema;
  for (const step of path) {
    const inner = unwrap(schema);
    const def = inner._zod.def as { type: string; shape?: Record<string, AnySchema>; valueType?: AnySchema; element?: AnySchema };
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
  return (inner._zod.def as { type: string }).type === 'object' ? (inner as z.ZodObject) : undefined;
}

/** The keys an object at `path` may have ([] for the top level), with their descriptions. */
export function keysAt(path: readonly (string | number)[]): KeyInfo[] {
  const object = objectAt(path);
  if (!object) return [];
  return Object.entries(object.shape as Record<string, AnySchema>).map(([name, schema]) => ({ name, description: describe(schema), ...kindOf(schema) }));
}

/** What the schema says about the key at `path` (the last step is the key), or undefined when it is not a known key. */
export function keyInfo(path: readonly (string | number)[]): KeyInfo | undefined {
  if (path.length === 0) return undefined;
  const name = String(path[path.length - 1]);
  return keysAt(path.slice(0, -1)).find((k) => k.name === name);
}
