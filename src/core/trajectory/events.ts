// The one event model for what an agent CLI says while it works, whichever CLI it is (claude-code `stream-json`, codex
// `exec --json`, gemini-cli `stream-json`, opencode `run --format json`, hermes through ACP). Parsers turn lines into
// these; the output channel, the tree, `jetty-runbook replay` and the run command consume them. Events are plain,
// JSON-serialisable data (no classes, no functions), discriminated on `kind`.

/**
 * Token counts, normalised: `input` is every input token the model read, cached or not (claude reports input_tokens +
 * cache_read_input_tokens + cache_creation_input_tokens separately; codex's input_tokens already includes
 * cached_input_tokens), with `cacheRead`/`cacheWrite` telling how much of it came from or went to the cache.
 */
export interface Usage {
  /** All input tokens, cached or not. */
  input: number;
  output: number;
  /** Of `input`, read from the prompt cache. */
  cacheRead: number;
  /** Of `input`, written to the prompt cache. */
  cacheWrite: number;
  /** Of `output`, spent on reasoning (codex reports it; claude counts thinking inside output). */
  reasoning: number;
}

export const ZERO_USAGE: Readonly<Usage> = Object.freeze({
  input: 0,
  output: 0,
  cacheRead: 0,
  cacheWrite: 0,
  reasoning: 0,
});

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    input: a.input + b.input,
    output: a.output + b.output,
    cacheRead: a.cacheRead + b.cacheRead,
    cacheWrite: a.cacheWrite + b.cacheWrite,
    reasoning: a.reasoning + b.reasoning,
  };
}

interface Base {
  /**
   * 1-based number of the input line this event came from, so a node in the tree or a log line can always be traced
   * back to the raw trajectory. One line may give several events (a codex turn.completed gives a `usage` event; a
   * claude line with several content blocks gives one event per block); every non-blank line gives at least one
   * (unknown JSON → `other`, anything else → `unparsed`): nothing is dropped.
   */
  line: number;
}

/** The CLI's first words: which model, which tools, which session. (claude system/init, codex thread.started) */
export interface InitEvent extends Base {
  kind: 'init';
  session?: string;
  model?: string;
  tools: string[];
  cwd?: string;
  /** The CLI's own version when it says it (claude_code_version). */
  version?: string;
  permissionMode?: string;
}

/** A model turn begins (codex turn.started). claude has no such line; its turns show as a new `messageId`. */
export interface TurnStartedEvent extends Base {
  kind: 'turn-started';
  /** 1-based turn number within the run. */
  turn: number;
}

/** What claude's assistant lines say of their model turn: set on the turn's first block only. */
interface TurnStart {
  /** claude: the assistant message this block belongs to (blocks of one model turn share it). */
  messageId?: string;
  /** claude: the usage the turn's message carried. Its input and cache figures are the turn's; its output is an early
   * count (often 1), so output and cost come only from the result. */
  turnUsage?: Usage;
}

/** Text the model wrote to the user. */
export interface TextEvent extends Base, TurnStart {
  kind: 'text';
  text: string;
}

/** The model's visible reasoning (claude `thinking` blocks, codex `reasoning` items). */
export interface ThinkingEvent extends Base, TurnStart {
  kind: 'thinking';
  text: string;
}

/** The model asked for a tool (claude tool_use, codex mcp_tool_call / web_search). */
export interface ToolCallEvent extends Base, TurnStart {
  kind: 'tool-call';
  /** Links the call to its `tool-result` (claude `toolu_…`, codex item id). */
  id: string;
  name: string;
  input: unknown;
}

/** What a tool gave back. */
export interface ToolResultEvent extends Base {
  kind: 'tool-result';
  /** The `id` of the `tool-call` this answers. */
  callId: string;
  /** The tool's name, copied from its call when the call was seen. */
  name?: string;
  output: string;
  isError: boolean;
}

/** A shell command started (codex command_execution item.started; claude-code's Bash, gemini-cli's run_shell_command,
 * opencode's bash and hermes' terminal tool calls). */
export interface CommandStartedEvent extends Base, TurnStart {
  kind: 'command-started';
  id: string;
  command: string;
}

/** A shell command finished (codex command_execution item.completed; the result of the tool calls above). */
export interface CommandCompletedEvent extends Base {
  kind: 'command-completed';
  id: string;
  command: string;
  output: string;
  /** null when the CLI gives none (a command that could not start, or was interrupted; gemini-cli never does). */
  exitCode: number | null;
  /** The CLI's own status word: completed, failed, declined, success, error... */
  status: string;
}

/** Whether a command worked: its exit code when the CLI gives one, else the CLI's own status word. */
export function commandSucceeded(event: CommandCompletedEvent): boolean {
  return event.exitCode !== null ? event.exitCode === 0 : event.status === 'completed' || event.status === 'success';
}

export interface FileChange {
  path: string;
  /** add | delete | update (codex's words). */
  change: string;
}

/** The agent changed files (codex file_change). claude's edits are tool calls (Edit, Write). */
export interface FileChangeEvent extends Base {
  kind: 'file-change';
  id: string;
  changes: FileChange[];
  status: string;
}

/** Token usage of one turn (codex turn.completed; claude only with --include-partial-messages). */
export interface UsageEvent extends Base {
  kind: 'usage';
  turn: number;
  usage: Usage;
}

/** The CLI retries a failed API call (claude system/api_retry, codex "Reconnecting... N/M"). */
export interface RetryEvent extends Base {
  kind: 'retry';
  attempt: number;
  maxAttempts?: number;
  delayMs?: number;
  /** HTTP status of the failed call, when known. */
  status?: number;
  message: string;
}

/** Something went wrong but the run goes on (codex item `error`, e.g. unknown model metadata). */
export interface WarningEvent extends Base {
  kind: 'warning';
  message: string;
}

/** Something failed. `fatal` errors end the run (codex turn.failed, claude's synthetic API-error message). */
export interface ErrorEvent extends Base {
  kind: 'error';
  message: string;
  /** A machine word for why, when the CLI gives one (claude `authentication_failed`, `unknown`; codex none). */
  reason?: string;
  fatal: boolean;
}

/** The run's outcome and totals. */
export interface ResultEvent extends Base {
  kind: 'result';
  status: 'succeeded' | 'failed';
  /** The CLI's word for how it ended (claude subtype `success`, `error_max_turns`…; codex `completed`/`failed`). */
  subtype: string;
  /** As the CLI counts them (claude num_turns; codex: turn.started lines); absent when the CLI does not say. */
  turns?: number;
  durationMs?: number;
  usage: Usage;
  /** USD, when the CLI computes it (claude does; codex does not). */
  costUsd?: number;
  /** The final answer (claude result text). */
  text?: string;
  /** Why it failed, when it did. */
  error?: string;
  /** Tools the CLI refused to run for want of permission (claude permission_denials). */
  permissionDenials?: { tool: string; id?: string; input?: unknown }[];
  /** `cli`: the CLI printed this (claude result line). `summed`: added up by the parser at the end of the stream
   * from the turns it saw (codex prints no result line). */
  source: 'cli' | 'summed';
}

/** A JSON event this model has no use for or does not know (rate_limit_event, stream_event, item.updated…), kept whole. */
export interface OtherEvent extends Base {
  kind: 'other';
  /** Its `type` (and subtype), e.g. `rate_limit_event`, `system/status`, `item.updated/todo_list`. */
  type: string;
  data: unknown;
}

/** A line that is not a JSON event of the stream's format: kept verbatim. */
export interface UnparsedEvent extends Base {
  kind: 'unparsed';
  text: string;
  /** not-json: not JSON at all (stderr noise, a cut line); not-an-event: JSON without a usable `type`;
   * bad-shape: a known type whose fields are not what that CLI prints. */
  reason: 'not-json' | 'not-an-event' | 'bad-shape';
}

export type TrajectoryEvent =
  | InitEvent
  | TurnStartedEvent
  | TextEvent
  | ThinkingEvent
  | ToolCallEvent
  | ToolResultEvent
  | CommandStartedEvent
  | CommandCompletedEvent
  | FileChangeEvent
  | UsageEvent
  | RetryEvent
  | WarningEvent
  | ErrorEvent
  | ResultEvent
  | OtherEvent
  | UnparsedEvent;

export type EventKind = TrajectoryEvent['kind'];

/** Every kind, in the order a summary lists them. */
export const EVENT_KINDS: readonly EventKind[] = [
  'init',
  'turn-started',
  'text',
  'thinking',
  'tool-call',
  'tool-result',
  'command-started',
  'command-completed',
  'file-change',
  'usage',
  'retry',
  'warning',
  'error',
  'result',
  'other',
  'unparsed',
];
