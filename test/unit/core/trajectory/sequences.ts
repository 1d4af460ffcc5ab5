// The exact event sequence each recorded fixture gives (test/fixtures/trajectories): asserted on the saved files by the
// unit tests and on the live CLIs by test/e2e/trajectory-live.test.ts. `other` events show their type.
import type { TrajectoryEvent } from '../../../../src/core/trajectory/events';

export const kinds = (events: TrajectoryEvent[]): string =>
  events.map((e) => (e.kind === 'other' ? `other:${e.type}` : e.kind)).join(' ');

const TT = 'other:system/thinking_tokens';

export const SEQUENCES: Record<string, string> = {
  'claude-code-2.1.126/api-retry': 'init retry text result',
  'claude-code-2.1.126/failing-tool': 'init tool-call tool-result tool-call tool-result text result',
  'claude-code-2.1.126/invalid-key': 'init error result',
  'claude-code-2.1.126/max-turns': 'init tool-call tool-result result',
  'claude-code-2.1.126/permission-denied': 'init tool-call tool-result text result',
  'claude-code-2.1.126/thinking': 'init thinking thinking text result',
  'claude-code-2.1.126/tool-call': 'init thinking text tool-call tool-result text result',
  'claude-code-2.1.126/write-file': 'init tool-call tool-result tool-call tool-result text result',
  'claude-code-2.1.330/api-retry': 'init retry text result',
  'claude-code-2.1.330/failing-tool': 'init tool-call tool-result tool-call tool-result text result',
  'claude-code-2.1.330/invalid-key': 'init error result',
  'claude-code-2.1.330/max-turns': 'init tool-call tool-result result',
  // 2.1.330 adds a system/permission_denied line before the tool result.
  'claude-code-2.1.330/permission-denied': 'init tool-call warning tool-result text result',
  // 2.1.330 adds system/thinking_tokens estimates while the model thinks.
  'claude-code-2.1.330/thinking': `init ${TT} ${TT} ${TT} thinking ${TT} thinking text result`,
  'claude-code-2.1.330/tool-call': `init ${TT} ${TT} ${TT} thinking text tool-call tool-result text result`,
  'claude-code-2.1.330/write-file': 'init tool-call tool-result tool-call tool-result text result',
  'codex-0.169.0/failing-command': 'init warning turn-started command-started command-completed text usage result',
  'codex-0.169.0/file-change': 'init turn-started other:item.started/file_change file-change text usage result',
  'codex-0.169.0/invalid-key': 'init warning turn-started retry retry retry retry retry error error result',
  'codex-0.169.0/shell-command':
    'init warning turn-started thinking command-started command-completed text usage result',
  'codex-0.169.0/unknown-model': 'init warning turn-started text usage result',
};
