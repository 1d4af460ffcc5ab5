// gemini-cli (Google's `@google/gemini-cli`, from npm): its CLI, the provider it reaches (Google: the Gemini API or
// Vertex AI), its command line and MCP config, and its `--output-format stream-json` stream. Measured on 0.61.0 (see
// notes/more-agent-clis.md, the fixtures in test/fixtures/trajectories/gemini-cli-*, test/e2e/routing.test.ts).
import type { ResultEvent } from '../trajectory/events';
import {
  createChunkJoiner,
  num,
  obj,
  parseEventLine,
  parseObject,
  str,
  usage,
  type FormatParser,
  type Json,
} from '../trajectory/parser';
import { shellQuote } from '../text';
import { promptArgument, type AgentAdapter, type AgentFile, type AgentSetup, type McpServer } from './agent';

const SETTINGS = '.gemini/settings.json';

/**
 * $GEMINI_CLI_HOME/.gemini/settings.json for a headless run. The auth type must be named: with a base URL set and no
 * `selectedType`, gemini picks "gateway" auth and exits 41 ("Invalid auth method selected."). Usage statistics off:
 * otherwise it posts them to play.googleapis.com (Clearcut), and without a network a run waits about 8 s for it.
 */
export function geminiSettings(
  auth: 'gemini-api-key' | 'vertex-ai' = 'gemini-api-key',
  mcpServers: Readonly<Record<string, McpServer>> = {},
): string {
  const settings = {
    security: { auth: { selectedType: auth } },
    privacy: { usageStatisticsEnabled: false },
    ...(Object.keys(mcpServers).length ? { mcpServers } : {}),
  };
  return `${JSON.stringify(settings, null, 2)}\n`;
}

export const geminiCli: AgentAdapter = {
  id: 'gemini-cli',
  cli: {
    package: '@google/gemini-cli',
    installer: 'npm',
    bin: 'gemini',
    defaultVersion: '0.61.0',
    versionSetting: 'jetty.geminiCli.version',
    versionEnv: 'JETTY_GEMINI_CLI_VERSION',
  },
  routes: {
    // The key goes out as `x-goog-api-key`. Vertex AI (jetty.google.api = vertex, Jetty's GOOGLE_GENAI_USE_VERTEXAI)
    // with an API key is Vertex's express mode: `/v1beta1/publishers/google/models/M:streamGenerateContent` (a project
    // and location are not used then).
    google: {
      keys: ['GEMINI_API_KEY'],
      setup: ({ key, settings }): AgentSetup => {
        const base = settings.googleBaseUrl;
        if (settings.googleApi === 'vertex') {
          return {
            secretEnv: { GOOGLE_API_KEY: key('GEMINI_API_KEY'), ...(base ? { GOOGLE_VERTEX_BASE_URL: base } : {}) },
            env: { GOOGLE_GENAI_USE_VERTEXAI: 'true' },
            files: [{ path: SETTINGS, content: geminiSettings('vertex-ai'), credential: false }],
          };
        }
        return {
          secretEnv: { GEMINI_API_KEY: key('GEMINI_API_KEY'), ...(base ? { GOOGLE_GEMINI_BASE_URL: base } : {}) },
          env: {},
          files: [{ path: SETTINGS, content: geminiSettings('gemini-api-key'), credential: false }],
        };
      },
    },
  },
  launch({ model, home, promptFile, mcpServers }, files) {
    const all: AgentFile[] = files.map((f) => {
      if (f.path !== SETTINGS || !Object.keys(mcpServers).length) return f;
      const settings = JSON.parse(f.content) as Record<string, unknown>;
      return { ...f, content: `${JSON.stringify({ ...settings, mcpServers }, null, 2)}\n` };
    });
    return {
      files: all,
      // Its config, chats and logs in the agent's home; its error reports (gemini-client-error-*.json) in its own tmp.
      env: { GEMINI_CLI_HOME: home, TMPDIR: `${home}/tmp` },
      before: [`mkdir -p ${shellQuote(`${home}/tmp`)}`],
      // --yolo: without it the shell tool is not even offered. --skip-trust: a folder it does not trust forces the
      // default approval mode (exit 55). --prompt=: `-p "- item"` (a runbook that opens with a list) fails with "Not
      // enough arguments following: p". The vendor prefix is dropped, as Jetty's runner does (google/gemini-2.5-pro).
      command: `gemini --prompt=${promptArgument(promptFile)} --output-format stream-json --yolo --skip-trust -m ${shellQuote(model.replace(/^google\//, ''))}`,
    };
  },
  format: { id: 'gemini-cli', owns: (line) => isGeminiLine(line), create: () => createGeminiParser() },
  // A 401 ends it with 145 (401 & 255).
  keyRejectedExitCodes: [145],
};

/** Its shell tool: a call to it is a command (`[agent] exec: …`), not a tool call. */
const SHELL_TOOL = 'run_shell_command';
const GEMINI_TYPES = new Set(['init', 'message', 'tool_use', 'tool_result', 'error', 'result']);

/** Whether a JSON line is gemini's: one of its event types, with its ISO timestamp (opencode's is a number). */
export function isGeminiLine(line: Json): boolean {
  return typeof line.type === 'string' && GEMINI_TYPES.has(line.type) && typeof line.timestamp === 'string';
}

/** gemini's API errors read `[API Error: {"error":{"code":401,"message":…,"status":…}}]`: said in words instead. */
function apiError(message: string): string {
  const inner = /^\[API Error: (\{.*\})\]$/s.exec(message)?.[1];
  if (!inner) return message;
  const error = obj(parseObject(inner)?.error);
  const code = num(error?.code);
  const text = str(error?.message);
  if (code === undefined || text === undefined) return message;
  const status = str(error?.status);
  return `API error ${code}${status ? ` (${status})` : ''}: ${text}`;
}

/**
 * The `--output-format stream-json` parser. What it has to know (0.61.0):
 * - `init` comes first (session, model; no tool list), then the prompt echoed as a user `message`;
 * - the model's text streams as assistant `message` lines with `delta: true`, one per API chunk: joined into one text;
 * - `tool_use {tool_name, tool_id, parameters}` and `tool_result {tool_id, status: success|error, output, error}`;
 *   run_shell_command's result says `success` whatever the command's exit code, which only the model is told: commands
 *   complete without an exit code;
 * - `error {severity: warning|error}` lines do not end the run; the final `result {status, error, stats}` does, with
 *   the run's token totals (input_tokens counts the cached ones too) and no cost. A stream without it was cut short.
 */
export function createGeminiParser(): FormatParser {
  const calls = new Map<string, { name: string; command?: string }>();
  const chunks = createChunkJoiner();
  let sawEvent = false;
  let sawResult = false;

  return {
    line(text, line, out) {
      const o = parseEventLine(text, line, out);
      if (!o) return;
      sawEvent = true;
      if (o.type === 'message' && o.role === 'assistant' && o.delta === true) {
        chunks.add('text', str(o.content) ?? '', line, 'message/delta', o, out);
        return;
      }
      chunks.flush(out);
      switch (o.type) {
        case 'init':
          out.push({ kind: 'init', line, session: str(o.session_id), model: str(o.model), tools: [] });
          return;
        case 'message':
          if (o.role === 'assistant') out.push({ kind: 'text', line, text: str(o.content) ?? '' });
          else out.push({ kind: 'other', line, type: `message/${str(o.role) ?? 'unknown'}`, data: o });
          return;
        case 'tool_use': {
          const id = str(o.tool_id) ?? `line-${line}`;
          const name = str(o.tool_name) ?? 'tool';
          const input = obj(o.parameters) ?? {};
          if (name === SHELL_TOOL) {
            const command = str(input.command) ?? '';
            calls.set(id, { name, command });
            out.push({ kind: 'command-started', line, id, command });
          } else {
            calls.set(id, { name });
            out.push({ kind: 'tool-call', line, id, name, input });
          }
          return;
        }
        case 'tool_result': {
          const id = str(o.tool_id) ?? '';
          const call = calls.get(id);
          calls.delete(id);
          const status = str(o.status) ?? 'success';
          const output = str(o.output) || str(obj(o.error)?.message) || '';
          if (call?.command !== undefined) {
            out.push({ kind: 'command-completed', line, id, command: call.command, output, exitCode: null, status });
          } else {
            out.push({ kind: 'tool-result', line, callId: id, name: call?.name, output, isError: status === 'error' });
          }
          return;
        }
        case 'error': {
          const message = str(o.message) ?? 'error';
          out.push(
            o.severity === 'warning'
              ? { kind: 'warning', line, message }
              : { kind: 'error', line, message, fatal: false },
          );
          return;
        }
        case 'result': {
          sawResult = true;
          const stats = obj(o.stats);
          const failed = o.status !== 'success';
          const error = obj(o.error);
          const errorType = str(error?.type);
          const event: ResultEvent = {
            kind: 'result',
            line,
            status: failed ? 'failed' : 'succeeded',
            subtype: failed ? (errorType && errorType !== 'unknown' ? errorType : 'failed') : 'success',
            usage: usage(num(stats?.input_tokens) ?? 0, num(stats?.output_tokens) ?? 0, num(stats?.cached) ?? 0),
            source: 'cli',
          };
          const duration = num(stats?.duration_ms);
          if (duration !== undefined) event.durationMs = duration;
          if (failed) event.error = apiError(str(error?.message) ?? 'the run failed');
          out.push(event);
          return;
        }
        default:
          out.push({ kind: 'other', line, type: o.type, data: o });
      }
    },
    end(lastLine, out) {
      chunks.flush(out);
      if (!sawEvent || sawResult) return;
      out.push({
        kind: 'result',
        line: lastLine,
        status: 'failed',
        subtype: 'incomplete',
        usage: usage(0, 0),
        error: 'the stream ends before gemini-cli reported a result',
        source: 'summed',
      });
    },
  };
}
