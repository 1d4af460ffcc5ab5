// An agent Jetty knows but this extension cannot run yet (no adapter in agents/): validation still works.
import { RUN_AGENTS } from '../../agents';
import type { Rule } from '../lint';

const RUNNABLE = RUN_AGENTS.join(' or ');

export const agentNotRunnable: Rule = {
  code: 'agent-not-runnable',
  severity: 'information',
  description: 'An agent this extension validates but cannot run (hermes, gemini-cli, opencode).',
  check(runbook) {
    const entry = runbook.entry('agent');
    const { agent, agentInvalid } = runbook.runtime;
    if (!entry?.valueRange || agentInvalid || RUN_AGENTS.includes(agent)) return [];
    return [
      {
        message: `This runbook is validated for ${agent}, but this extension runs only ${RUNNABLE}: run it on Jetty, or switch the agent to run it here.`,
        range: entry.valueRange,
      },
    ];
  },
};
