// claude-code (`@anthropic-ai/claude-code`): its CLI, the providers it reaches (Anthropic, Bedrock, OpenRouter), its
// command line and MCP config, and its `-p … --output-format stream-json --verbose` stream (measured on 2.1.126 and
// 2.1.330: ../shared/notes/agent-clis.md, test/fixtures/trajectories/claude-code-*, test/e2e/routing.test.ts).
import type { ResultEvent, TextEvent, TrajectoryEvent, Usage } from '../trajectory/events';
import {
  arr,
  contentText,
  num,
  obj,
  parseEventLine,
  str,
  usage,
  type FormatParser,
  type Json,
} from '../trajectory/parser';
import { shellQuote } from '../text';
import { promptArgument, type AgentAdapter } from './agent';
import { OPENROUTER_API_BASE } from '../catalog';

/** The allowed tools when the runbook declares no MCP servers: the seed runner's default list. */
export const CLAUDE_ALLOWED_TOOLS = [
  'Bash',
  'Edit',
  'Write',
  'Read',
  'Glob',
  'Grep',
  'LS',
  'WebFetch',
  'NotebookEdit',
  'NotebookRead',
  'TodoRead',
  'TodoWrite',
  'Agent',
] as const;

const MCP_CONFIG = 'mcp.json';

/**
 * claude-code appends `/v1/messages` itself, while the OpenRouter base URL (OPENROUTER_API_BASE, shared with agents
 * that append `/chat/completions` or `/responses`) ends in `/api/v1`: claude-code gets it without the trailing `/v1`.
 */
function anthropicStyleBase(openAiStyleBase: string): string {
  return openAiStyleBase.replace(/\/+$/, '').replace(/\/v1$/, '');
}

export const claudeCode: AgentAdapter = {
  id: 'claude-code',
  cli: {
    package: '@anthropic-ai/claude-code',
    installer: 'npm',
    bin: 'claude',
    defaultVersion: '2.1.126',
    versionSetting: 'jetty.claudeCode.version',
    versionEnv: 'JETTY_CLAUDE_CODE_VERSION',
  },
  // ANTHROPIC_API_KEY goes out as `x-api-key`, ANTHROPIC_AUTH_TOKEN as `Authorization: Bearer`.
  routes: {
    anthropic: {
      keys: ['ANTHROPIC_API_KEY'],
      setup: ({ key, settings }) => ({
        secretEnv: {
          ANTHROPIC_API_KEY: key('ANTHROPIC_API_KEY'),
          ...(settings.anthropicBaseUrl ? { ANTHROPIC_BASE_URL: settings.anthropicBaseUrl } : {}),
        },
        env: {},
        files: [],
      }),
    },
    bedrock: {
      keys: ['AWS_BEARER_TOKEN_BEDROCK'],
      setup: ({ key, settings }) => ({
        secretEnv: {
          AWS_BEARER_TOKEN_BEDROCK: key('AWS_BEARER_TOKEN_BEDROCK'),
          ...(settings.bedrockEndpointUrl ? { ANTHROPIC_BEDROCK_BASE_URL: settings.bedrockEndpointUrl } : {}),
        },
        env: { CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: settings.bedrockRegion },
        files: [],
      }),
    },
    openrouter: {
      keys: ['OPENROUTER_API_KEY'],
      setup: ({ key, settings }) => ({
        secretEnv: {
          ANTHROPIC_BASE_URL: anthropicStyleBase(settings.openrouterBaseUrl || OPENROUTER_API_BASE),
          ANTHROPIC_AUTH_TOKEN: key('OPENROUTER_API_KEY'),
        },
        // Explicitly empty, so a key in the sandbox image's own environment is never sent to OpenRouter as x-api-key.
        env: { ANTHROPIC_API_KEY: '' },
        files: [],
      }),
    },
  },
  launch({ model, home, promptFile, mcpServers, bypassPermissions }, files) {
    const servers = Object.keys(mcpServers);
    const tools = [...CLAUDE_ALLOWED_TOOLS, ...servers.map((name) => `mcp__${name}__*`)].join(',');
    const mcp = servers.length ? ` --mcp-config ${shellQuote(`${home}/${MCP_CONFIG}`)}` : '';
    const bypass = bypassPermissions ? ' --permission-mode bypassPermissions' : '';
    return {
      files: servers.length
        ? [...files, { path: MCP_CONFIG, content: `${JSON.stringify({ mcpServers }, null, 2)}\n`, credential: false }]
        : [...files],
      env: {
        DISABLE_AUTOUPDATER: '1',
        DISABLE_TELEMETRY: '1',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        // Its session state and transcripts (which quote what the tools printed) in the agent's home, as Jetty keeps
        // them under /logs/agent/sessions: gone with the sandbox, never in the user's ~/.claude.
        CLAUDE_CONFIG_DIR: `${home}/sessions`,
      },
      // It refuses to bypass permissions as root unless told it is in a sandbox.
      before: bypassPermissions ? ['if [ "$(id -u)" = 0 ]; then export IS_SANDBOX=1; fi'] : [],
      // The prompt after `--`: claude-code reads a prompt that starts with `-` (a runbook opening with a list) as an
      // option and exits ("unknown option '- …'", measured on 2.1.126 and 2.1.330); `--` also ends --allowedTools' list.
      command: `claude -p --output-format stream-json --verbose --model ${shellQuote(model)} --allowedTools ${shellQuote(tools)}${mcp}${bypass} -- ${promptArgument(promptFile)}`,
    };
  },
  format: {
    id: 'claude-code',
    owns: (line) => {
      const type = line.type;
      return (
        type === 'system' || type === 'assistant' || type === 'user' || type === 'result' || type === 'stream_event'
      );
    },
    create: () => createClaudeCodeParser(),
  },
};

/** Tool calls whose names the parser keeps until their results arrive (far more than any agent has in flight). */
export const MAX_CALLS_IN_FLIGHT = 10_000;

/** What a failed result's subtype means, in words. */
const RESULT_SUBTYPES: Record<string, string> = {
  error_max_turns: 'reached the maximum number of turns',
  error_during_execution: 'failed during execution',
  error_max_budget_usd: 'reached the maximum budget',
  error_max_structured_output_retries: 'could not produce the requested structured output',
};

function claudeUsage(u: Json | undefined): Usage {
  if (!u) return usage(0, 0);
  const cacheRead = num(u.cache_read_input_tokens) ?? 0;
  const cacheWrite = num(u.cache_creation_input_tokens) ?? 0;
  return usage((num(u.input_tokens) ?? 0) + cacheRead + cacheWrite, num(u.output_tokens) ?? 0, cacheRead, cacheWrite);
}

/** Its shell tool: a call to it is a command (`[agent] exec: …`), not a tool call, as for every runtime. */
const SHELL_TOOL = 'Bash';

/** Bash's result says a failure's code in its first line ("Exit code 1"); a success has none: 0. */
function bashExitCode(output: string, isError: boolean): number | null {
  if (!isError) return 0;
  const code = /^Exit code (\d+)/.exec(output)?.[1];
  return code === undefined ? null : Number(code);
}

/**
 * The stream parser. What it has to know:
 * - an assistant message comes as one line per content block; the lines of one model turn share `message.id`, and the
 *   `usage` they carry is an early snapshot (output_tokens 1), so totals come only from the `result` line;
 * - tool results arrive in `user` lines, linked to their call by `tool_use_id`; a Bash call and its result are a
 *   command and its completion (the exit code from the result's "Exit code N");
 * - an API failure (401, no connection) is a synthetic assistant message (`model: "<synthetic>"`, top-level `error`
 *   such as `authentication_failed`) followed by a `result` with subtype "success" but `is_error: true`;
 * - newer versions add lines (system/thinking_tokens, system/permission_denied, rate_limit_event…) and reorder keys:
 *   anything not understood is kept as an `other` event.
 */
export function createClaudeCodeParser(): FormatParser {
  // The calls in flight: a Bash call's result is its command's completion.
  const calls = new Map<string, { name: string; command?: string }>();
  let partialTurn = 0;
  let partialInput: Json | undefined;
  let lastMessageId: string | undefined;

  const other = (type: string, data: unknown, line: number, out: TrajectoryEvent[]) =>
    out.push({ kind: 'other', line, type, data });

  const system = (o: Json, line: number, out: TrajectoryEvent[]) => {
    const subtype = str(o.subtype) ?? '';
    if (subtype === 'init') {
      out.push({
        kind: 'init',
        line,
        session: str(o.session_id),
        model: str(o.model),
        tools: arr(o.tools).filter((t): t is string => typeof t === 'string'),
        cwd: str(o.cwd),
        version: str(o.claude_code_version),
        permissionMode: str(o.permissionMode),
      });
    } else if (subtype === 'api_retry') {
      const status = num(o.error_status);
      const error = str(o.error) ?? 'error';
      const delay = num(o.retry_delay_ms);
      out.push({
        kind: 'retry',
        line,
        attempt: num(o.attempt) ?? 0,
        maxAttempts: num(o.max_retries),
        delayMs: delay === undefined ? undefined : Math.round(delay),
        status,
        message: status ? `API error ${status} (${error})` : `API error (${error})`,
      });
    } else if (subtype === 'permission_denied') {
      const tool = str(o.tool_name) ?? 'a tool';
      out.push({ kind: 'warning', line, message: `permission denied for ${tool}: ${str(o.message) ?? ''}`.trimEnd() });
    } else {
      other(`system/${subtype}`, o, line, out);
    }
  };

  const assistant = (o: Json, line: number, out: TrajectoryEvent[]) => {
    const message = obj(o.message);
    if (!message) return other('assistant', o, line, out);
    const messageId = str(message.id);
    const blocks = arr(message.content);
    if (message.model === '<synthetic>' || typeof o.error === 'string' || o.is_api_error_message === true) {
      const text = blocks
        .map((b) => str(obj(b)?.text))
        .filter(Boolean)
        .join('\n');
      out.push({ kind: 'error', line, message: text || 'the API call failed', reason: str(o.error), fatal: true });
      return;
    }
    const before = out.length;
    // The message's usage goes on the first event of its turn (its blocks come one line each, all carrying it).
    const turnUsage = messageId && messageId !== lastMessageId ? obj(message.usage) : undefined;
    if (messageId) lastMessageId = messageId;
    for (const raw of blocks) {
      const block = obj(raw);
      const type = str(block?.type);
      if (!block || !type) continue;
      if (type === 'text') out.push({ kind: 'text', line, text: str(block.text) ?? '', messageId });
      else if (type === 'thinking') out.push({ kind: 'thinking', line, text: str(block.thinking) ?? '', messageId });
      else if (type === 'tool_use') {
        const id = str(block.id) ?? `line-${line}`;
        const name = str(block.name) ?? 'tool';
        const input = block.input ?? {};
        const command = name === SHELL_TOOL ? (str(obj(input)?.command) ?? '') : undefined;
        calls.set(id, { name, command });
        // Calls whose result never comes (a log cut short, a hostile one with millions of ids) would grow the map
        // without end: past a bound the oldest goes, and a result that late shows without its tool's name.
        if (calls.size > MAX_CALLS_IN_FLIGHT) calls.delete(calls.keys().next().value!);
        if (command !== undefined) out.push({ kind: 'command-started', line, id, command, messageId });
        else out.push({ kind: 'tool-call', line, id, name, input, messageId });
      } else other(`assistant/${type}`, block, line, out);
    }
    if (out.length === before) other('assistant', o, line, out);
    else if (turnUsage) {
      const first = out
        .slice(before)
        .find(
          (e) => e.kind === 'text' || e.kind === 'thinking' || e.kind === 'tool-call' || e.kind === 'command-started',
        );
      if (first) (first as TextEvent).turnUsage = claudeUsage(turnUsage);
    }
  };

  const user = (o: Json, line: number, out: TrajectoryEvent[]) => {
    const before = out.length;
    for (const raw of arr(obj(o.message)?.content)) {
      const block = obj(raw);
      if (block?.type !== 'tool_result') continue;
      const callId = str(block.tool_use_id) ?? '';
      const call = calls.get(callId);
      calls.delete(callId); // a call has one result: the map stays as small as the calls in flight
      const output = contentText(block.content);
      const isError = block.is_error === true;
      if (call?.command !== undefined) {
        const exitCode = bashExitCode(output, isError);
        const status = isError ? 'failed' : 'completed';
        out.push({ kind: 'command-completed', line, id: callId, command: call.command, output, exitCode, status });
      } else out.push({ kind: 'tool-result', line, callId, name: call?.name, output, isError });
    }
    // A prompt replayed, an interruption notice, a subagent's text: nothing the model did, but kept.
    if (out.length === before) other('user', o, line, out);
  };

  const result = (o: Json, line: number, out: TrajectoryEvent[]) => {
    const failed = o.is_error === true;
    const subtype = str(o.subtype) ?? (failed ? 'error' : 'success');
    const text = str(o.result);
    const errors = arr(o.errors).filter((e): e is string => typeof e === 'string');
    const event: ResultEvent = {
      kind: 'result',
      line,
      status: failed ? 'failed' : 'succeeded',
      subtype,
      turns: num(o.num_turns),
      durationMs: num(o.duration_ms),
      usage: claudeUsage(obj(o.usage)),
      costUsd: num(o.total_cost_usd),
      source: 'cli',
    };
    if (text !== undefined) event.text = text;
    if (failed) event.error = errors.join('; ') || text || RESULT_SUBTYPES[subtype] || subtype;
    const denials = arr(o.permission_denials)
      .map(obj)
      .filter((d): d is Json => d !== undefined);
    if (denials.length)
      event.permissionDenials = denials.map((d) => ({
        tool: str(d.tool_name) ?? 'tool',
        id: str(d.tool_use_id),
        input: d.tool_input,
      }));
    out.push(event);
  };

  // --include-partial-messages: raw API stream events. Only the final usage of each model call is of use here.
  const streamEvent = (o: Json, line: number, out: TrajectoryEvent[]) => {
    const event = obj(o.event);
    const type = str(event?.type) ?? '';
    if (type === 'message_start') partialInput = obj(obj(event?.message)?.usage);
    if (type === 'message_delta' && obj(event?.usage)) {
      const final = { ...partialInput, ...obj(event?.usage) };
      out.push({ kind: 'usage', line, turn: ++partialTurn, usage: claudeUsage(final) });
      return;
    }
    other(`stream_event/${type}`, o, line, out);
  };

  return {
    line(text, line, out) {
      const o = parseEventLine(text, line, out);
      if (!o) return;
      const type = o.type;
      switch (type) {
        case 'system':
          return system(o, line, out);
        case 'assistant':
          return assistant(o, line, out);
        case 'user':
          return user(o, line, out);
        case 'result':
          return result(o, line, out);
        case 'stream_event':
          return streamEvent(o, line, out);
        default:
          return other(type, o, line, out);
      }
    },
    end() {},
  };
}
