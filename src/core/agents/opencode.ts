// opencode (the `opencode-ai` package from npm, a native binary): its CLI, the provider Jetty runs it with (OpenRouter),
// its command line and MCP config, and its `run --format json` stream. Measured on 1.18.33 (see
// notes/more-agent-clis.md, the fixtures in test/fixtures/trajectories/opencode-*, test/e2e/routing.test.ts).
import { OPENROUTER_API_BASE } from '../catalog';
import { addUsage, ZERO_USAGE, type TrajectoryEvent, type Usage } from '../trajectory/events';
import { num, obj, parseEventLine, str, usage, type FormatParser, type Json } from '../trajectory/parser';
import { shellQuote } from '../text';
import { promptArgument, type AgentAdapter, type AgentFile, type McpServer } from './agent';

/** Its config folder, $XDG_CONFIG_HOME/opencode, inside the agent's home (XDG_CONFIG_HOME is set to `config/`). */
const CONFIG_DIR = 'config/opencode';
const CONFIG = `${CONFIG_DIR}/opencode.json`;

/** A provider entry of opencode.json: where its API is (the AI SDK appends the paths, e.g. /chat/completions). */
export interface OpencodeProviderOptions {
  baseURL?: string;
}

/** opencode.json: the providers' options (a base URL) and its MCP servers. */
export function opencodeConfig(
  providers: Record<string, OpencodeProviderOptions>,
  mcpServers: Readonly<Record<string, McpServer>> = {},
): string {
  const provider = Object.fromEntries(Object.entries(providers).map(([id, options]) => [id, { options }]));
  const mcp = Object.fromEntries(
    Object.entries(mcpServers).map(([name, server]) => [
      name,
      {
        type: 'local',
        command: [server.command, ...server.args],
        enabled: true,
        ...(server.env ? { environment: server.env } : {}),
      },
    ]),
  );
  const config = { $schema: 'https://opencode.ai/config.json', provider, ...(Object.keys(mcp).length ? { mcp } : {}) };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/**
 * Files that make opencode's config folder look as if its plugin dependency were installed. opencode 1.18 otherwise
 * runs a background `npm install @opencode-ai/plugin` in every config folder at start (it looks up
 * registry.npmjs.org; offline it fails silently). It skips the install when the folder has a node_modules folder and
 * a package-lock.json whose root lists every dependency (measured), which these two files are.
 */
export const OPENCODE_CONFIG_DEPENDENCY_FILES: readonly { path: string; content: string }[] = (() => {
  const lock = `${JSON.stringify({ lockfileVersion: 3, packages: { '': { dependencies: { '@opencode-ai/plugin': '*' } } } }, null, 2)}\n`;
  return [
    { path: 'package-lock.json', content: lock },
    { path: 'node_modules/.package-lock.json', content: lock },
  ];
})();

export const opencode: AgentAdapter = {
  id: 'opencode',
  cli: {
    package: 'opencode-ai',
    installer: 'npm',
    bin: 'opencode',
    defaultVersion: '1.18.33',
    versionSetting: 'jetty.opencode.version',
    versionEnv: 'JETTY_OPENCODE_VERSION',
  },
  routes: {
    // The key goes out as `Authorization: Bearer` to <base>/chat/completions. Jetty's docs list OpenRouter only.
    openrouter: {
      keys: ['OPENROUTER_API_KEY'],
      setup: ({ key, settings }) => ({
        secretEnv: { OPENROUTER_API_KEY: key('OPENROUTER_API_KEY') },
        env: {},
        files: [
          {
            path: CONFIG,
            content: opencodeConfig({ openrouter: { baseURL: settings.openrouterBaseUrl || OPENROUTER_API_BASE } }),
            // The base URL may be a gateway's, carrying a token.
            credential: true,
          },
        ],
      }),
    },
  },
  launch({ model, home, promptFile, mcpServers, provider }, files) {
    const all: AgentFile[] = files.map((f) => {
      if (f.path !== CONFIG || !Object.keys(mcpServers).length) return f;
      const config = JSON.parse(f.content) as Record<string, unknown>;
      const mcp = (JSON.parse(opencodeConfig({}, mcpServers)) as { mcp: unknown }).mcp;
      return { ...f, content: `${JSON.stringify({ ...config, mcp }, null, 2)}\n` };
    });
    for (const file of OPENCODE_CONFIG_DEPENDENCY_FILES)
      all.push({ path: `${CONFIG_DIR}/${file.path}`, content: file.content, credential: false });
    return {
      files: all,
      env: {
        // Its config, sessions database, logs and state in the agent's home, not the user's (a local run).
        XDG_CONFIG_HOME: `${home}/config`,
        XDG_DATA_HOME: `${home}/data`,
        XDG_STATE_HOME: `${home}/state`,
        // Else it fetches its model list from models.opencode.ai at start.
        OPENCODE_DISABLE_MODELS_FETCH: '1',
        OPENCODE_DISABLE_AUTOUPDATE: '1',
      },
      // --auto: approve what it would ask (there is no one to ask). --title: a title of its own, else opencode asks a
      // small model for one (an extra request). `--` before the prompt: a prompt that starts with `-` is otherwise read
      // as options ("opencode run [message..]" usage, exit 1). stdin must be closed, or it waits on it for ever.
      command: `opencode run --format json --auto --thinking --title 'Jetty runbook' -m ${shellQuote(`${provider}/${model}`)} -- ${promptArgument(promptFile)}`,
    };
  },
  format: { id: 'opencode', owns: (line) => isOpencodeLine(line), create: () => createOpencodeParser() },
};

/** Its shell tool: a call to it is a command (`[agent] exec: …`), not a tool call. */
const SHELL_TOOL = 'bash';

/** Whether a JSON line is opencode's: every one carries `sessionID` and a numeric `timestamp`. */
export function isOpencodeLine(line: Json): boolean {
  return typeof line.type === 'string' && typeof line.sessionID === 'string' && typeof line.timestamp === 'number';
}

function opencodeUsage(tokens: Json | undefined): Usage {
  const cache = obj(tokens?.cache);
  const cacheRead = num(cache?.read) ?? 0;
  const cacheWrite = num(cache?.write) ?? 0;
  const reasoning = num(tokens?.reasoning) ?? 0;
  // opencode's `input` leaves the cached tokens out and its `output` the reasoning ones; the model counts them in.
  return usage(
    (num(tokens?.input) ?? 0) + cacheRead + cacheWrite,
    (num(tokens?.output) ?? 0) + reasoning,
    cacheRead,
    cacheWrite,
    reasoning,
  );
}

/**
 * The `run --format json` parser. What it has to know (1.18.33):
 * - every line is `{type, timestamp, sessionID, part}`; there is no first line of its own, so the first line's
 *   session gives the `init`;
 * - a model step is `step_start` … `step_finish {reason: tool-calls|stop, tokens, cost}`, with `text` and `reasoning`
 *   parts (whole, not streamed) and `tool_use` parts printed once the tool is done: `state {status: completed|error,
 *   input, output, error, metadata.exit}` (bash's exit code is in metadata.exit);
 * - the cost is opencode's own estimate from its model prices (OpenRouter's reported cost is not used);
 * - there is no end line: the run succeeded when its last step finished with `stop`; an `error {error: {name, data:
 *   {message, statusCode}}}` line is fatal (a rejected key: statusCode 401). The parser sums up at the end.
 */
export function createOpencodeParser(): FormatParser {
  const started = new Set<string>();
  let session = false;
  let steps = 0;
  let totals: Usage = { ...ZERO_USAGE };
  let cost: number | undefined;
  let lastReason: string | undefined;
  let fatal: string | undefined;
  let sawEvent = false;

  const tool = (part: Json, line: number, out: TrajectoryEvent[]) => {
    const id = str(part.callID) ?? str(part.id) ?? `line-${line}`;
    const name = str(part.tool) ?? 'tool';
    const state = obj(part.state);
    const status = str(state?.status) ?? 'completed';
    const input = obj(state?.input) ?? {};
    const command = name === SHELL_TOOL ? (str(input.command) ?? '') : undefined;
    if (!started.has(id)) {
      started.add(id);
      if (command !== undefined) out.push({ kind: 'command-started', line, id, command });
      else out.push({ kind: 'tool-call', line, id, name, input });
    }
    if (status !== 'completed' && status !== 'error') return;
    started.delete(id);
    const metadata = obj(state?.metadata);
    const output = str(state?.output) ?? str(metadata?.output) ?? str(state?.error) ?? '';
    if (command !== undefined) {
      const exitCode = num(metadata?.exit) ?? null;
      out.push({ kind: 'command-completed', line, id, command, output, exitCode, status });
    } else {
      out.push({ kind: 'tool-result', line, callId: id, name, output, isError: status === 'error' });
    }
  };

  return {
    line(text, line, out) {
      const o = parseEventLine(text, line, out);
      if (!o) return;
      sawEvent = true;
      if (!session && typeof o.sessionID === 'string') {
        session = true;
        out.push({ kind: 'init', line, session: o.sessionID, tools: [] });
      }
      const part = obj(o.part);
      switch (o.type) {
        case 'step_start':
          out.push({ kind: 'turn-started', line, turn: ++steps });
          return;
        case 'text':
          out.push({ kind: 'text', line, text: str(part?.text) ?? '' });
          return;
        case 'reasoning':
          out.push({ kind: 'thinking', line, text: str(part?.text) ?? '' });
          return;
        case 'tool_use': {
          const before = out.length;
          if (part) tool(part, line, out);
          // A tool seen again before it is done (still running) adds nothing new: the line is kept as other.
          if (out.length > before) return;
          break;
        }
        case 'step_finish': {
          const stepUsage = opencodeUsage(obj(part?.tokens));
          totals = addUsage(totals, stepUsage);
          const stepCost = num(part?.cost);
          if (stepCost !== undefined) cost = (cost ?? 0) + stepCost;
          lastReason = str(part?.reason);
          out.push({ kind: 'usage', line, turn: Math.max(steps, 1), usage: stepUsage });
          return;
        }
        case 'error': {
          const error = obj(o.error);
          const data = obj(error?.data);
          const status = num(data?.statusCode);
          const said = str(data?.message) ?? str(error?.message) ?? str(error?.name) ?? 'error';
          const message = status !== undefined ? `API error ${status}: ${said}` : said;
          fatal ??= message;
          out.push({ kind: 'error', line, message, reason: str(error?.name), fatal: true });
          return;
        }
      }
      out.push({ kind: 'other', line, type: o.type, data: o });
    },
    end(lastLine, out) {
      if (!sawEvent) return;
      const succeeded = fatal === undefined && lastReason === 'stop';
      out.push({
        kind: 'result',
        line: lastLine,
        status: succeeded ? 'succeeded' : 'failed',
        subtype: succeeded ? 'completed' : fatal !== undefined ? 'failed' : 'incomplete',
        turns: steps,
        usage: totals,
        ...(cost !== undefined ? { costUsd: Math.round(cost * 1e10) / 1e10 } : {}),
        ...(succeeded ? {} : { error: fatal ?? 'the stream ends before opencode finished its last step' }),
        source: 'summed',
      });
    },
  };
}
