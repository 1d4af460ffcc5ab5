// A model_provider the agent cannot use (codex with anthropic, claude-code with openai...): the runner has no route for it.
import { AGENTS, AGENT_IDS, modelFamily } from '../../catalog';
import { setKey, switchAgent } from '../edits';
import type { Fix, Rule } from '../lint';

export const providerUnsupported: Rule = {
  code: 'provider-unsupported',
  severity: 'error',
  description: 'A model_provider the agent cannot use.',
  check(runbook) {
    const entry = runbook.entry('model_provider');
    if (!runbook.providerUnsupported || runbook.runtime.agentInvalid || !entry?.valueRange) return [];
    const { agent, provider, model } = runbook.runtime;
    const info = AGENTS[agent];
    const fixes: Fix[] = [];
    const fallback = info.defaultProvider ?? info.providers[0]!;
    const setProvider = setKey(runbook, 'model_provider', fallback);
    if (setProvider) fixes.push({ title: `Set model_provider to ${fallback}`, edits: setProvider });
    // The agent to suggest: the one the model's family runs on if it can use this provider, else the first that can.
    const family = model ? modelFamily(model) : undefined;
    const candidates = AGENT_IDS.filter((a) => a !== agent && AGENTS[a].providers.includes(provider!));
    const other = candidates.find((a) => a === family?.agent) ?? candidates[0];
    if (other) {
      const edits = switchAgent(runbook, other);
      if (edits) fixes.push({ title: `Switch agent to ${other}`, edits });
    }
    if (fixes[0]) fixes[0].preferred = true;
    return [
      {
        message: `${agent} cannot use the ${provider} provider (it uses ${info.providers.join(', ')}): the runner has no route to it and the run fails.${other ? ` Use ${other} for ${provider}, or` : ''} set \`model_provider: ${fallback}\`.`,
        range: entry.valueRange,
        fixes,
      },
    ];
  },
};
