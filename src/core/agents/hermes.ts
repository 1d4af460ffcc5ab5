// hermes (Nous Research's hermes-agent, from PyPI): what a run needs to drive it headless and read what it does.
// hermes 0.19 prints no event stream of its own (`hermes -z` prints only the final text), so a run drives `hermes acp`,
// the Agent Client Protocol over stdio, through a small client of ours (HERMES_ACP_DRIVER); the parser below reads the
// JSON-RPC lines it prints. Measured on 0.19.0 (see the fixtures in test/fixtures/trajectories/hermes-*).
import { OPENROUTER_API_BASE } from '../catalog';
import type { KeyName, ProviderSettings } from '../keys';
import { shellQuote } from '../text';
import type { TextEvent, TrajectoryEvent } from '../trajectory/events';
import {
  arr,
  createChunkJoiner,
  num,
  obj,
  parseObject,
  str,
  usage,
  type FormatParser,
  type Json,
} from '../trajectory/parser';
import type { AgentAdapter, AgentFile, McpServer, ProviderRoute } from './agent';

/**
 * The ACP client a run starts instead of hermes: Python 3 with the standard library only (hermes brings its own
 * Python). It sends initialize, session/new (the working folder) and one session/prompt with the prompt file's text,
 * answers each session/request_permission with the first "allow" option (allow for the session, else once), refuses
 * any other request from the agent (it offers no file system and no terminal), and exits 0 once the prompt is
 * answered, after closing hermes' stdin and giving it 15 s to stop. Every line hermes writes to stdout is printed as
 * received, so the trajectory is hermes' own words; hermes' stderr (its log) passes through.
 *
 *   python3 driver.py PROMPT_FILE -- hermes acp
 */
export const HERMES_ACP_DRIVER = String.raw`"""Jetty Runbooks' Agent Client Protocol client for hermes acp (see src/core/agents/hermes.ts)."""
import json
import os
import subprocess
import sys


def main():
    separator = sys.argv.index("--")
    with open(sys.argv[1], encoding="utf-8") as handle:
        prompt = handle.read()
    agent = subprocess.Popen(sys.argv[separator + 1 :], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    pending = {}
    sent = [0]

    def send(message):
        agent.stdin.write((json.dumps(message) + "\n").encode("utf-8"))
        agent.stdin.flush()

    def request(method, params):
        sent[0] += 1
        pending[sent[0]] = method
        send({"jsonrpc": "2.0", "id": sent[0], "method": method, "params": params})

    def finish(code):
        try:
            agent.stdin.close()
        except OSError:
            pass
        try:
            agent.wait(timeout=15)
        except subprocess.TimeoutExpired:
            agent.kill()
        sys.exit(code)

    request(
        "initialize",
        {
            "protocolVersion": 1,
            "clientCapabilities": {"fs": {"readTextFile": False, "writeTextFile": False}, "terminal": False},
            "clientInfo": {"name": "jetty-runbooks", "version": "1"},
        },
    )
    for raw in agent.stdout:
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        if not line.strip():
            continue
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if not isinstance(message, dict):
            continue
        if "method" in message and "id" in message:
            params = message.get("params") or {}
            if message["method"] == "session/request_permission":
                send({"jsonrpc": "2.0", "id": message["id"], "result": {"outcome": allow(params.get("options"))}})
            else:
                error = {"code": -32601, "message": "this client offers no " + str(message["method"])}
                send({"jsonrpc": "2.0", "id": message["id"], "error": error})
            continue
        method = pending.pop(message.get("id"), None)
        if method is None:
            continue
        if "error" in message:
            sys.stderr.write("hermes acp: %s failed: %s\n" % (method, json.dumps(message["error"])))
            finish(1)
        result = message.get("result") or {}
        if method == "initialize":
            request("session/new", {"cwd": os.getcwd(), "mcpServers": []})
        elif method == "session/new":
            prompt_blocks = [{"type": "text", "text": prompt}]
            request("session/prompt", {"sessionId": result.get("sessionId"), "prompt": prompt_blocks})
        elif method == "session/prompt":
            finish(0)
    code = agent.wait()
    sys.stderr.write("hermes acp stopped (exit code %s) before it answered the prompt\n" % code)
    sys.exit(code or 1)


def allow(options):
    for kind in ("allow_always", "allow_once"):
        for option in options or []:
            if isinstance(option, dict) and option.get("kind") == kind:
                return {"outcome": "selected", "optionId": option.get("optionId")}
    return {"outcome": "cancelled"}


main()
`;

/** A provider hermes reaches through a `providers:` entry of its config.yaml, the way Jetty's runner defines them. */
export interface HermesCustomProvider {
  base_url: string;
  /** The environment variable holding the key (hermes reads it at start; the key is never written into the file). */
  key_env: string;
  transport: 'chat_completions' | 'anthropic_messages';
}

export interface HermesConfigInput {
  /** hermes' provider name: built-in (`bedrock`, `gemini`) or one of `providers`. */
  provider: string;
  model: string;
  providers?: Record<string, HermesCustomProvider>;
  /** `mcp_servers:` entries, by name. */
  mcpServers?: Readonly<Record<string, McpServer>>;
}

/**
 * $HERMES_HOME/config.yaml for a headless run, written as JSON (YAML reads JSON as it is, and JSON.stringify escapes
 * every value safely). Besides the model, it switches off what hermes 0.19 otherwise does on its own at start or after
 * a turn (measured): pip-installing optional packages from PyPI (`security.allow_lazy_installs`; the TTS tool's check
 * installs edge-tts), downloading the `tirith` command scanner from GitHub before the first shell command
 * (`security.tirith_enabled`), fetching its model catalog from hermes-agent.nousresearch.com and GitHub
 * (`model_catalog.enabled`), and one more model call to title the session (`auxiliary.title_generation.enabled`).
 */
export function hermesConfig(input: HermesConfigInput): string {
  const config = {
    model: { provider: input.provider, default: input.model },
    ...(input.providers && Object.keys(input.providers).length ? { providers: input.providers } : {}),
    ...(input.mcpServers && Object.keys(input.mcpServers).length ? { mcp_servers: input.mcpServers } : {}),
    security: { allow_lazy_installs: false, tirith_enabled: false },
    model_catalog: { enabled: false },
    auxiliary: { title_generation: { enabled: false } },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

const CONFIG = 'config.yaml';
const DRIVER = 'acp-driver.py';

/** The route's config.yaml; a credential file, as the base URL may be a gateway's carrying a token. */
function configFile(input: HermesConfigInput): AgentFile {
  return { path: CONFIG, content: hermesConfig(input), credential: true };
}

/** A provider Jetty's runner reaches through a custom `providers:` entry (jetty_anthropic, jetty_openai, jetty_openrouter). */
function customRoute(
  name: string,
  key: KeyName,
  baseUrl: (settings: ProviderSettings) => string,
  transport: HermesCustomProvider['transport'],
): ProviderRoute {
  return {
    keys: [key],
    setup: ({ key: value, settings, model }) => ({
      secretEnv: { [key]: value(key) },
      env: {},
      files: [
        configFile({
          provider: name,
          model: model ?? '',
          providers: { [name]: { base_url: baseUrl(settings), key_env: key, transport } },
        }),
      ],
    }),
  };
}

export const hermes: AgentAdapter = {
  id: 'hermes',
  cli: {
    // The extras a run needs: Bedrock (boto3), the anthropic SDK hermes pins (a newer one fails at call time), the
    // Agent Client Protocol (how runs drive it) and MCP servers.
    package: 'hermes-agent[bedrock,anthropic,acp,mcp]',
    installer: 'pip',
    bin: 'hermes',
    defaultVersion: '0.19.0',
    versionSetting: 'jetty.hermes.version',
    versionEnv: 'JETTY_HERMES_VERSION',
    // `hermes --version` also asks PyPI whether there is a newer one.
    versionCommand: 'hermes acp --version',
  },
  // Routed as Jetty's hermes page says: Bedrock through hermes' own provider (boto3's Converse API, every catalog
  // model; with a Bedrock API key even Claude models go through Converse), Anthropic, OpenAI and OpenRouter through
  // custom providers, Google through hermes' built-in gemini provider (Gemini's OpenAI-compatible API).
  routes: {
    bedrock: {
      keys: ['AWS_BEARER_TOKEN_BEDROCK'],
      setup: ({ key, settings, model }) => {
        const endpoint = settings.bedrockEndpointUrl;
        return {
          secretEnv: {
            AWS_BEARER_TOKEN_BEDROCK: key('AWS_BEARER_TOKEN_BEDROCK'),
            // The control plane too: hermes lists the Bedrock models for ACP's model picker.
            ...(endpoint ? { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: endpoint, AWS_ENDPOINT_URL_BEDROCK: endpoint } : {}),
          },
          // boto3 would otherwise look for instance credentials at 169.254.169.254 (no use in a sandbox; a wait offline).
          env: { AWS_REGION: settings.bedrockRegion, AWS_EC2_METADATA_DISABLED: 'true' },
          files: [configFile({ provider: 'bedrock', model: model ?? '' })],
        };
      },
    },
    anthropic: customRoute(
      'jetty_anthropic',
      'ANTHROPIC_API_KEY',
      (s) => s.anthropicBaseUrl || 'https://api.anthropic.com',
      'anthropic_messages',
    ),
    openai: customRoute(
      'jetty_openai',
      'OPENAI_API_KEY',
      (s) => s.openaiBaseUrl || 'https://api.openai.com/v1',
      'chat_completions',
    ),
    openrouter: customRoute(
      'jetty_openrouter',
      'OPENROUTER_API_KEY',
      (s) => s.openrouterBaseUrl || OPENROUTER_API_BASE,
      'chat_completions',
    ),
    google: {
      keys: ['GEMINI_API_KEY'],
      setup: ({ key, settings, model }) => ({
        secretEnv: {
          GEMINI_API_KEY: key('GEMINI_API_KEY'),
          ...(settings.googleBaseUrl
            ? { GEMINI_BASE_URL: `${settings.googleBaseUrl.replace(/\/+$/, '')}/v1beta/openai` }
            : {}),
        },
        env: {},
        files: [configFile({ provider: 'gemini', model: (model ?? '').replace(/^google\//, '') })],
      }),
    },
  },
  launch({ home, promptFile, mcpServers }, files) {
    const all: AgentFile[] = files.map((f) => {
      if (f.path !== CONFIG || !Object.keys(mcpServers).length) return f;
      // hermes' `mcp_servers:` entries are {command, args, env}, as the runbook's.
      const config = JSON.parse(f.content) as Record<string, unknown>;
      return { ...f, content: `${JSON.stringify({ ...config, mcp_servers: mcpServers }, null, 2)}\n` };
    });
    all.push({ path: DRIVER, content: HERMES_ACP_DRIVER, credential: false });
    return {
      files: all,
      env: { HERMES_HOME: home },
      command: `python3 ${shellQuote(`${home}/${DRIVER}`)} ${shellQuote(promptFile)} -- hermes acp`,
    };
  },
  format: { id: 'hermes', owns: (line) => isHermesLine(line), create: () => createHermesParser() },
};

/** Whether a JSON line is hermes' (through the driver): a JSON-RPC 2.0 message. */
export function isHermesLine(line: Json): boolean {
  return line.jsonrpc === '2.0';
}

/**
 * How hermes 0.19 words a run that failed, as the text of its last message (ACP tells a failed turn only by that
 * text: the prompt's answer is `end_turn` either way): the summary of a refused API call (`HTTP 401: …`, boto3's `An
 * error occurred (AccessDeniedException) when calling the ConverseStream operation: …`, `Error code: 401 - …`), and its
 * fixed sentences for retries used up, a context or payload too large, a truncated first answer, a safety filter.
 */
const FAILURE_TEXT =
  /^(?:HTTP \d{3}\b|An error occurred \(\w+\) when calling the \w+ operation|Error code: \d{3}\b|API call failed after \d+ retries|Invalid API response after \d+ retries|Request payload too large|Context length exceeded|Context overflow|First response truncated|⚠️\s*The model provider's safety filter)/;

const EXIT_CODE = /\n- \*\*exit_code:\*\* (-?\d+)(?=\n- \*\*|$)/g;
const OUTPUT = '\n- **output:** ';

/** The command's output and exit code from hermes' terminal result, `terminal result\n- **output:** …\n- **exit_code:** N`. */
function terminalResult(text: string): { output: string; exitCode: number | null } {
  let exit: RegExpExecArray | undefined;
  for (const match of text.matchAll(EXIT_CODE)) exit = match;
  const start = text.indexOf(OUTPUT);
  const end = exit?.index ?? text.length;
  const output =
    start !== -1 && start < end ? text.slice(start + OUTPUT.length, end) : start === -1 && exit ? '' : text;
  return { output, exitCode: exit ? Number(exit[1]) : null };
}

function contentBlocksText(content: unknown): string {
  return arr(content)
    .map((c) => str(obj(obj(c)?.content)?.text) ?? str(obj(c)?.text))
    .filter((t): t is string => t !== undefined)
    .join('\n');
}

/**
 * The parser of what the driver prints: hermes' JSON-RPC messages (ACP protocol version 1, hermes 0.19.0). What it has to
 * know:
 * - the answer to `initialize` names hermes and its version, the answer to `session/new` the session and the model
 *   (`bedrock:zai.glm-5`);
 * - `session/update` notifications carry the run: `agent_message_chunk` and `agent_thought_chunk` pieces (joined into
 *   one text), `tool_call` (terminal: title `terminal: <cmd>`, content `$ <cmd>`; other tools: their title, the file in
 *   `locations`), `tool_call_update {status: completed|failed, content}` (the terminal's exit code only in its text,
 *   `- **exit_code:** N`; hermes shows at most 400 characters of a command's output there), and `usage_update`,
 *   `available_commands_update`, `plan`… (kept as other);
 * - the answer to `session/prompt` ends the run: `stopReason` and the run's token totals (none when no model call
 *   succeeded), no cost. A failed run still ends with `end_turn`: its last message is hermes' error text (FAILURE_TEXT).
 */
export function createHermesParser(): FormatParser {
  const commands = new Map<string, string>();
  const tools = new Map<string, string>();
  const chunks = createChunkJoiner();
  let version: string | undefined;
  let fatal: string | undefined;
  let ended = false;
  let sawEvent = false;

  // A message in hermes' failure words is held back: if the prompt's answer follows, it is the run's error, not text.
  let held: TextEvent | undefined;
  const release = (out: TrajectoryEvent[]) => {
    if (held) out.push(held);
    held = undefined;
  };
  const flush = (out: TrajectoryEvent[]) => {
    const message = chunks.take();
    if (!message) return;
    release(out);
    if (message.kind === 'text' && FAILURE_TEXT.test(message.text)) held = message;
    else out.push(message);
  };

  const update = (u: Json, o: Json, line: number, out: TrajectoryEvent[]) => {
    const kind = str(u.sessionUpdate) ?? 'unknown';
    if (kind === 'agent_message_chunk' || kind === 'agent_thought_chunk') {
      release(out);
      const piece = str(obj(u.content)?.text) ?? '';
      return chunks.add(
        kind === 'agent_message_chunk' ? 'text' : 'thinking',
        piece,
        line,
        `session/update/${kind}`,
        o,
        out,
      );
    }
    flush(out);
    const id = str(u.toolCallId) ?? `line-${line}`;
    if (kind === 'tool_call') {
      release(out);
      const title = str(u.title) ?? 'tool';
      const shown = contentBlocksText(u.content);
      if (u.kind === 'execute' && title.startsWith('terminal: ')) {
        const command = shown.startsWith('$ ') ? shown.slice(2) : title.slice('terminal: '.length);
        commands.set(id, command);
        return out.push({ kind: 'command-started', line, id, command });
      }
      const name = /^[^:(]+/.exec(title)?.[0]?.trim() || title;
      const path = str(obj(arr(u.locations)[0])?.path);
      tools.set(id, name);
      return out.push({
        kind: 'tool-call',
        line,
        id,
        name,
        input: obj(u.rawInput) ?? { title, ...(path ? { path } : {}) },
      });
    }
    const status = str(u.status);
    if (kind === 'tool_call_update' && (status === 'completed' || status === 'failed')) {
      const text = contentBlocksText(u.content) || (typeof u.rawOutput === 'string' ? u.rawOutput : '');
      const command = commands.get(id);
      if (command !== undefined) {
        commands.delete(id);
        const { output, exitCode } = terminalResult(text);
        return out.push({ kind: 'command-completed', line, id, command, output, exitCode, status });
      }
      const name = tools.get(id);
      tools.delete(id);
      return out.push({ kind: 'tool-result', line, callId: id, name, output: text, isError: status === 'failed' });
    }
    out.push({ kind: 'other', line, type: `session/update/${kind}`, data: o });
  };

  const answer = (o: Json, line: number, out: TrajectoryEvent[]) => {
    const result = obj(o.result);
    const error = obj(o.error);
    if (error) {
      const message = str(error.message) ?? 'the request failed';
      fatal ??= message;
      return out.push({ kind: 'error', line, message, fatal: true });
    }
    if (result && typeof result.sessionId === 'string') {
      const current = str(obj(result.models)?.currentModelId);
      const model = current?.includes(':') ? current.slice(current.indexOf(':') + 1) : current;
      const mode = str(obj(result.modes)?.currentModeId);
      return out.push({
        kind: 'init',
        line,
        session: result.sessionId,
        model,
        tools: [],
        version,
        permissionMode: mode,
      });
    }
    if (result && typeof result.stopReason === 'string') {
      ended = true;
      if (held) {
        fatal ??= held.text;
        out.push({ kind: 'error', line: held.line, message: held.text, fatal: true });
        held = undefined;
      }
      const u = obj(result.usage);
      const stop = result.stopReason;
      const failed = fatal !== undefined || stop !== 'end_turn';
      return out.push({
        kind: 'result',
        line,
        status: failed ? 'failed' : 'succeeded',
        subtype: fatal !== undefined ? 'failed' : stop,
        usage: usage(
          num(u?.inputTokens) ?? 0,
          num(u?.outputTokens) ?? 0,
          num(u?.cachedReadTokens) ?? 0,
          num(u?.cachedWriteTokens) ?? 0,
          num(u?.thoughtTokens) ?? 0,
        ),
        ...(failed ? { error: fatal ?? `hermes stopped: ${stop}` } : {}),
        source: 'cli',
      });
    }
    const agent = obj(result?.agentInfo);
    if (agent) version = str(agent.version);
    out.push({ kind: 'other', line, type: agent ? 'initialize' : 'response', data: o });
  };

  return {
    line(text, line, out) {
      const o = parseObject(text);
      if (!o) return void out.push({ kind: 'unparsed', line, text, reason: 'not-json' });
      if (o.jsonrpc !== '2.0') return void out.push({ kind: 'unparsed', line, text, reason: 'not-an-event' });
      sawEvent = true;
      const method = str(o.method);
      if (method === 'session/update') {
        const u = obj(obj(o.params)?.update);
        if (u) return update(u, o, line, out);
      }
      flush(out);
      if (method !== undefined) return void out.push({ kind: 'other', line, type: method, data: o });
      answer(o, line, out);
    },
    end(lastLine, out) {
      flush(out);
      release(out);
      if (!sawEvent || ended) return;
      out.push({
        kind: 'result',
        line: lastLine,
        status: 'failed',
        subtype: 'incomplete',
        usage: usage(0, 0),
        error: fatal ?? 'the stream ends before hermes answered the prompt',
        source: 'summed',
      });
    },
  };
}
