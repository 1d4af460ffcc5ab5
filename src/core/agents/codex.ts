// codex (`@openai/codex`): its CLI, the providers it reaches (OpenAI, OpenRouter), its command line and MCP tables,
// and its `exec --json` stream (measured on 0.169.0: ../shared/notes/agent-clis.md, test/fixtures/trajectories/codex-*,
// test/e2e/routing.test.ts).
import { addUsage, ZERO_USAGE, type TrajectoryEvent, type Usage } from '../trajectory/events';
import { arr, num, obj, parseEventLine, str, usage, type FormatParser, type Json } from '../trajectory/parser';
import { shellQuote, tomlString } from '../text';
import { promptArgument, type AgentAdapter, type AgentFile, type AgentSetup, type McpServer } from './agent';
import { OPENROUTER_API_BASE } from '../catalog';

const CONFIG = 'config.toml';

/**
 * A config.toml that makes codex use one Responses-API endpoint, reading its key from `envKey`: codex 0.169 ignores
 * OPENAI_BASE_URL, and its built-in provider ignores OPENAI_API_KEY. A credential file: the endpoint may be a gateway
 * URL carrying a token.
 */
function providerConfig(id: string, name: string, baseUrl: string, envKey: string): AgentFile {
  const content = [
    `model_provider = ${tomlString(id)}`,
    '',
    `[model_providers.${id}]`,
    `name = ${tomlString(name)}`,
    `base_url = ${tomlString(baseUrl)}`,
    `env_key = ${tomlString(envKey)}`,
    'wire_api = "responses"',
    '',
  ].join('\n');
  return { path: CONFIG, content, credential: true };
}

/** codex's `[mcp_servers.<name>]` tables (names quoted: TOML keys may be basic strings). */
function mcpTables(servers: Readonly<Record<string, McpServer>>): string {
  return Object.entries(servers)
    .map(([name, server]) => {
      const env = Object.entries(server.env ?? {}).map(([k, v]) => `${tomlString(k)} = ${tomlString(v)}`);
      return [
        `[mcp_servers.${tomlString(name)}]`,
        `command = ${tomlString(server.command)}`,
        `args = [${server.args.map(tomlString).join(', ')}]`,
        ...(env.length ? [`env = { ${env.join(', ')} }`] : []),
        '',
      ].join('\n');
    })
    .join('\n');
}

export const codex: AgentAdapter = {
  id: 'codex',
  cli: {
    package: '@openai/codex',
    installer: 'npm',
    bin: 'codex',
    defaultVersion: '0.169.0',
    versionSetting: 'jetty.codex.version',
    versionEnv: 'JETTY_CODEX_VERSION',
  },
  routes: {
    openai: {
      keys: ['OPENAI_API_KEY'],
      setup: ({ key, settings }): AgentSetup => {
        if (settings.openaiBaseUrl) {
          const config = providerConfig(
            'jetty-openai',
            'OpenAI (jetty.openai.baseUrl)',
            settings.openaiBaseUrl,
            'OPENAI_API_KEY',
          );
          return { secretEnv: { OPENAI_API_KEY: key('OPENAI_API_KEY') }, env: {}, files: [config] };
        }
        // Exactly what `codex login --with-api-key` writes (measured on codex 0.169), without running codex for it.
        const auth = `${JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: key('OPENAI_API_KEY') }, null, 2)}\n`;
        return { secretEnv: {}, env: {}, files: [{ path: 'auth.json', content: auth, credential: true }] };
      },
    },
    openrouter: {
      keys: ['OPENROUTER_API_KEY'],
      setup: ({ key, settings }) => ({
        secretEnv: { OPENAI_API_KEY: key('OPENROUTER_API_KEY') },
        env: {},
        files: [
          providerConfig(
            'openrouter',
            'OpenRouter',
            settings.openrouterBaseUrl || OPENROUTER_API_BASE,
            'OPENAI_API_KEY',
          ),
        ],
      }),
    },
  },
  launch({ model, home, promptFile, mcpServers, bypassPermissions }, files) {
    const all = [...files];
    if (Object.keys(mcpServers).length) {
      // The route may already write a config.toml (a model-provider entry): the MCP tables go after its own.
      const at = all.findIndex((f) => f.path === CONFIG);
      const existing = all[at];
      const before = existing ? `${existing.content}${existing.content.endsWith('\n\n') ? '' : '\n'}` : '';
      const merged = {
        path: CONFIG,
        content: `${before}${mcpTables(mcpServers)}`,
        credential: existing?.credential ?? false,
      };
      if (existing) all[at] = merged;
      else all.push(merged);
    }
    // Bypassing codex's own sandbox is what Jetty does, and right only inside a sandbox that isolates the agent.
    // Elsewhere codex keeps its own: writes only to the work dir (and temp folders), network on, as claude-code's Bash
    // has (measured on codex 0.169: without the -c the network is off).
    const sandbox = bypassPermissions
      ? '--dangerously-bypass-approvals-and-sandbox'
      : '--sandbox workspace-write -c sandbox_workspace_write.network_access=true';
    return {
      files: all,
      env: { CODEX_HOME: home },
      command: `codex exec ${sandbox} --skip-git-repo-check --model ${shellQuote(model)} --json -- ${promptArgument(promptFile)}`,
    };
  },
  format: {
    id: 'codex',
    owns: (line) => {
      const type = line.type;
      return (
        typeof type === 'string' &&
        // An error line is `{type, message}` (opencode's has an `error` object instead, gemini's a timestamp).
        ((type === 'error' && typeof line.message === 'string' && line.timestamp === undefined) ||
          type.startsWith('thread.') ||
          type.startsWith('turn.') ||
          type.startsWith('item.'))
      );
    },
    create: () => createCodexParser(),
  },
};

const RECONNECTING = /^Reconnecting\.\.\.\s*(\d+)\/(\d+)\s*(?:\((.*)\))?\s*$/s;
const HTTP_STATUS = /\bstatus (\d{3})\b/;

/**
 * The stream parser. What it has to know:
 * - items have a lifecycle (item.started → item.updated → item.completed) keyed by `item.id`; a command is shown when it
 *   starts and again with its output and exit code when it completes;
 * - an item of type `error` is a NON-fatal warning (e.g. "Model metadata for `gpt-5.4` not found");
 * - top-level `error` lines are both the "Reconnecting... N/M (…)" retry notices and the final error; `turn.failed` is the
 *   fatal one;
 * - `turn.completed` carries that turn's usage (input_tokens already includes cached_input_tokens); there is no result
 *   line and no cost, so the parser adds the turns up and gives a `result` (source "summed") when the stream ends.
 */
export function createCodexParser(): FormatParser {
  let turnsStarted = 0;
  let turnsCompleted = 0;
  let totals: Usage = { ...ZERO_USAGE };
  let fatal: string | undefined;
  let sawEvent = false;

  const other = (type: string, data: unknown, line: number, out: TrajectoryEvent[]) =>
    out.push({ kind: 'other', line, type, data });

  const item = (phase: 'started' | 'updated' | 'completed', o: Json, line: number, out: TrajectoryEvent[]) => {
    const it = obj(o.item);
    const type = str(it?.type);
    if (!it || !type) return other(`item.${phase}`, o, line, out);
    const id = str(it.id) ?? `line-${line}`;
    const started = phase === 'started';
    const completed = phase === 'completed';
    // A switch on the item type, the phase checked inside: no key string built per line (codex lines are short, and
    // per-line work shows in the throughput benchmark).
    switch (type) {
      case 'command_execution':
        if (started) return out.push({ kind: 'command-started', line, id, command: str(it.command) ?? '' });
        if (completed) {
          const exitCode = num(it.exit_code);
          return out.push({
            kind: 'command-completed',
            line,
            id,
            command: str(it.command) ?? '',
            output: str(it.aggregated_output) ?? '',
            exitCode: exitCode ?? null,
            status: str(it.status) ?? (exitCode === 0 ? 'completed' : 'failed'),
          });
        }
        break;
      case 'agent_message':
        if (completed) return out.push({ kind: 'text', line, text: str(it.text) ?? '' });
        break;
      case 'reasoning':
        if (completed) return out.push({ kind: 'thinking', line, text: str(it.text) ?? '' });
        break;
      case 'file_change':
        if (completed) {
          return out.push({
            kind: 'file-change',
            line,
            id,
            changes: arr(it.changes)
              .map(obj)
              .filter((c): c is Json => c !== undefined)
              .map((c) => ({ path: str(c.path) ?? '', change: str(c.kind) ?? 'update' })),
            status: str(it.status) ?? 'completed',
          });
        }
        break;
      case 'mcp_tool_call':
        if (started) return out.push({ kind: 'tool-call', line, id, name: mcpName(it), input: it.arguments ?? {} });
        if (completed) {
          const error = str(obj(it.error)?.message);
          return out.push({
            kind: 'tool-result',
            line,
            callId: id,
            name: mcpName(it),
            output: error ?? resultText(it.result),
            isError: error !== undefined || it.status === 'failed',
          });
        }
        break;
      case 'web_search':
        if (started)
          return out.push({ kind: 'tool-call', line, id, name: 'web_search', input: { query: str(it.query) ?? '' } });
        if (completed)
          return out.push({
            kind: 'tool-result',
            line,
            callId: id,
            name: 'web_search',
            output: str(it.query) ?? '',
            isError: false,
          });
        break;
      case 'error':
        if (started || completed) return out.push({ kind: 'warning', line, message: str(it.message) ?? 'error' });
        break;
    }
    return other(`item.${phase}/${type}`, o, line, out);
  };

  return {
    line(text, line, out) {
      const o = parseEventLine(text, line, out);
      if (!o) return;
      const type = o.type;
      sawEvent = true;
      // Most lines are items: take them before walking the switch's string comparisons.
      if (type === 'item.completed' || type === 'item.started' || type === 'item.updated') {
        item(type === 'item.completed' ? 'completed' : type === 'item.started' ? 'started' : 'updated', o, line, out);
        return;
      }
      switch (type) {
        case 'thread.started':
          out.push({ kind: 'init', line, session: str(o.thread_id), tools: [] });
          return;
        case 'turn.started':
          out.push({ kind: 'turn-started', line, turn: ++turnsStarted });
          return;
        case 'turn.completed': {
          const u = obj(o.usage);
          const turnUsage = usage(
            num(u?.input_tokens) ?? 0,
            num(u?.output_tokens) ?? 0,
            num(u?.cached_input_tokens) ?? 0,
            num(u?.cache_write_input_tokens) ?? 0,
            num(u?.reasoning_output_tokens) ?? 0,
          );
          turnsCompleted++;
          totals = addUsage(totals, turnUsage);
          out.push({ kind: 'usage', line, turn: Math.max(turnsStarted, turnsCompleted), usage: turnUsage });
          return;
        }
        case 'turn.failed': {
          const message = str(obj(o.error)?.message) ?? str(o.message) ?? 'the turn failed';
          fatal = message;
          out.push({ kind: 'error', line, message, fatal: true });
          return;
        }
        case 'error': {
          const message = str(o.message) ?? 'error';
          const retry = message.startsWith('Reconnecting') ? RECONNECTING.exec(message) : null;
          if (retry) {
            const reason = retry[3] ?? message;
            const status = HTTP_STATUS.exec(reason)?.[1];
            out.push({
              kind: 'retry',
              line,
              attempt: Number(retry[1]),
              maxAttempts: Number(retry[2]),
              status: status ? Number(status) : undefined,
              message: reason,
            });
          } else {
            out.push({ kind: 'error', line, message, fatal: false });
          }
          return;
        }
        default:
          other(type, o, line, out);
      }
    },
    end(lastLine, out) {
      if (!sawEvent) return;
      const unfinished = turnsStarted > turnsCompleted && fatal === undefined;
      const failed = fatal !== undefined || unfinished;
      out.push({
        kind: 'result',
        line: lastLine,
        status: failed ? 'failed' : 'succeeded',
        subtype: fatal !== undefined ? 'failed' : unfinished ? 'incomplete' : 'completed',
        turns: turnsStarted,
        usage: totals,
        ...(failed ? { error: fatal ?? `the stream ends before turn ${turnsStarted} completed` } : {}),
        source: 'summed',
      });
    },
  };
}

function mcpName(item: Json): string {
  const server = str(item.server);
  const tool = str(item.tool) ?? 'tool';
  return server ? `${server}/${tool}` : tool;
}

function resultText(result: unknown): string {
  const r = obj(result);
  if (!r) return typeof result === 'string' ? result : '';
  const parts = arr(r.content)
    .map((c) => str(obj(c)?.text))
    .filter((t): t is string => t !== undefined);
  return parts.length ? parts.join('\n') : JSON.stringify(r.structured_content ?? r);
}
