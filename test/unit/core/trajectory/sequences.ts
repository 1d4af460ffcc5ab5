// The exact event sequence each recorded fixture gives (test/fixtures/trajectories): asserted on the saved files by the
// unit tests and on the live CLIs by test/e2e/trajectory-live.test.ts. `other` events show their type.
import type { TrajectoryEvent } from '../../../../src/core/trajectory/events';

export const kinds = (events: TrajectoryEvent[]): string =>
  events.map((e) => (e.kind === 'other' ? `other:${e.type}` : e.kind)).join(' ');

const TT = 'other:system/thinking_tokens';
// gemini-cli: the prompt echoed, and a piece of streamed text (the text event follows its last piece).
const PROMPT = 'other:message/user';
const DELTA = 'other:message/delta';
// hermes through ACP: the session's opening updates, its usage updates, and streamed pieces of text and thought.
const ACP_START =
  'other:initialize init other:session/update/available_commands_update other:session/update/usage_update';
const USAGE = 'other:session/update/usage_update';
const CHUNK = 'other:session/update/agent_message_chunk';
const THOUGHT = 'other:session/update/agent_thought_chunk';

export const SEQUENCES: Record<string, string> = {
  'claude-code-2.1.126/api-retry': 'init retry text result',
  'claude-code-2.1.126/failing-tool': 'init command-started command-completed tool-call tool-result text result',
  'claude-code-2.1.126/invalid-key': 'init error result',
  'claude-code-2.1.126/max-turns': 'init command-started command-completed result',
  'claude-code-2.1.126/permission-denied': 'init tool-call tool-result text result',
  'claude-code-2.1.126/thinking': 'init thinking thinking text result',
  'claude-code-2.1.126/tool-call': 'init thinking text command-started command-completed text result',
  'claude-code-2.1.126/write-file': 'init tool-call tool-result tool-call tool-result text result',
  'claude-code-2.1.330/api-retry': 'init retry text result',
  'claude-code-2.1.330/failing-tool': 'init command-started command-completed tool-call tool-result text result',
  'claude-code-2.1.330/invalid-key': 'init error result',
  'claude-code-2.1.330/max-turns': 'init command-started command-completed result',
  // 2.1.330 adds a system/permission_denied line before the tool result.
  'claude-code-2.1.330/permission-denied': 'init tool-call warning tool-result text result',
  // 2.1.330 adds system/thinking_tokens estimates while the model thinks.
  'claude-code-2.1.330/thinking': `init ${TT} ${TT} ${TT} thinking ${TT} thinking text result`,
  'claude-code-2.1.330/tool-call': `init ${TT} ${TT} ${TT} thinking text command-started command-completed text result`,
  'claude-code-2.1.330/write-file': 'init tool-call tool-result tool-call tool-result text result',
  'codex-0.169.0/failing-command': 'init warning turn-started command-started command-completed text usage result',
  'codex-0.169.0/file-change': 'init turn-started other:item.started/file_change file-change text usage result',
  'codex-0.169.0/invalid-key': 'init warning turn-started retry retry retry retry retry error error result',
  'codex-0.169.0/shell-command':
    'init warning turn-started thinking command-started command-completed text usage result',
  'codex-0.169.0/unknown-model': 'init warning turn-started text usage result',
  // The run was killed while its command ran: no result line, so the parser ends it as incomplete.
  'gemini-cli-0.61.0/cancel': `init ${PROMPT} command-started result`,
  'gemini-cli-0.61.0/failing-command': `init ${PROMPT} command-started command-completed ${DELTA} text result`,
  'gemini-cli-0.61.0/invalid-key': `init ${PROMPT} result`,
  'gemini-cli-0.61.0/shell-command': `init ${PROMPT} ${DELTA} text command-started command-completed ${DELTA} ${DELTA} text result`,
  'gemini-cli-0.61.0/tool-error': `init ${PROMPT} tool-call tool-result ${DELTA} text result`,
  'hermes-0.19.0/cancel': `${ACP_START} command-started result`,
  'hermes-0.19.0/failing-command': `${ACP_START} command-started command-completed ${CHUNK} text ${USAGE} result`,
  // A failed API call: hermes' error text as its last message, which the parser turns into the run's error.
  'hermes-0.19.0/invalid-key': `${ACP_START} ${CHUNK} ${USAGE} error result`,
  'hermes-0.19.0/invalid-key-openrouter': `${ACP_START} ${CHUNK} ${USAGE} error result`,
  'hermes-0.19.0/shell-command': `${ACP_START} ${THOUGHT} ${THOUGHT} ${THOUGHT} thinking ${CHUNK} text command-started command-completed ${CHUNK} ${CHUNK} text ${USAGE} result`,
  'hermes-0.19.0/tool-error': `${ACP_START} tool-call tool-result ${CHUNK} ${CHUNK} text ${USAGE} result`,
  'opencode-1.18.33/cancel': 'init turn-started result',
  'opencode-1.18.33/failing-command':
    'init turn-started command-started command-completed usage turn-started text usage result',
  'opencode-1.18.33/invalid-key': 'init error result',
  'opencode-1.18.33/shell-command':
    'init turn-started thinking text command-started command-completed usage turn-started text usage result',
  'opencode-1.18.33/tool-error': 'init turn-started tool-call tool-result usage turn-started text usage result',
};
