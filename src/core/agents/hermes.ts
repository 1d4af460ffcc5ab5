// hermes (Nous Research's hermes-agent, from PyPI): what a run needs to drive it headless and read what it does.
// hermes 0.19 prints no event stream of its own (`hermes -z` prints only the final text), so a run drives `hermes acp`,
// the Agent Client Protocol over stdio, through a small client of ours (HERMES_ACP_DRIVER) that prints every JSON-RPC
// message hermes sends as one line; the parser below reads those lines. Measured on 0.19.0 (see the fixtures in
// test/fixtures/trajectories/hermes-*).

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
  mcpServers?: Record<string, { command: string; args: string[]; env?: Record<string, string> }>;
}

/**
 * $HERMES_HOME/config.yaml for a headless run, written as JSON (YAML 1.2 reads JSON as it is, and JSON.stringify
 * escapes every value safely). Besides the model, it switches off what hermes 0.19 otherwise does on its own at start
 * or after a turn (measured): pip-installing optional packages from PyPI (`security.allow_lazy_installs`; the TTS
 * tool's check installs edge-tts), downloading the `tirith` command scanner from GitHub before the first shell command
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
