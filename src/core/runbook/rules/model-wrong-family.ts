// A model of a family the agent cannot talk to: claude-code speaks neither OpenAI nor Google APIs, codex speaks neither
// Anthropic, Bedrock nor Google (seeds/000 and seeds/003, "Provider support").
import { switchAgent } from '../edits';
import type { Rule } from '../lint';

export const modelWrongFamily: Rule = {
  code: 'model-wrong-family',
  severity: 'error',
  description:
    'A model of a family the agent cannot run (gpt-* under claude-code, claude-* under codex, gemini-* outside gemini-cli…).',
  check(runbook) {
    const verdict = runbook.modelVerdict;
    const entry = runbook.entry('model');
    if (verdict?.kind !== 'wrong-family' || !entry?.valueRange) return [];
    const { agent, model, agentInferred } = runbook.runtime;
    const target = verdict.family.agent;
    const edits = switchAgent(runbook, target);
    const how = agentInferred ? `${agent} (Jetty's default when \`agent\` is missing)` : agent;
    return [
      {
        message: `${how} cannot run ${verdict.family.name} models: \`${model}\` fails at the first request. Use the ${target} agent for it.`,
        range: entry.valueRange,
        fixes: edits ? [{ title: `Switch agent to ${target}`, edits, preferred: true }] : [],
      },
    ];
  },
};
