// No `model_provider`: Jetty assumes the agent's default provider, which is wrong for a Bedrock or OpenRouter model ID.
// Jetty's own advice is to always set it.
import { providerForModel } from '../assess';
import { setKey } from '../edits';
import type { Rule } from '../lint';
import { isMappingOrEmpty } from './agent-missing';

export const providerMissing: Rule = {
  code: 'provider-missing',
  severity: 'information',
  description: "No `model_provider`: Jetty assumes the agent's default provider.",
  check(runbook) {
    if (
      runbook.entry('model_provider') ||
      runbook.hasYamlErrors ||
      runbook.runtime.agentInvalid ||
      !isMappingOrEmpty(runbook.frontMatter?.data)
    )
      return [];
    const { agent, provider, model } = runbook.runtime;
    const suggested = providerForModel(model, agent);
    const range =
      runbook.entry('model')?.keyRange ??
      runbook.entry('agent')?.keyRange ??
      runbook.frontMatter?.openRange ??
      runbook.range({ start: 0, end: 0 });
    const assumed = provider
      ? `Jetty assumes ${provider} for ${agent}`
      : `Jetty documents no default provider for ${agent}`;
    const mismatch = suggested && suggested !== provider ? `, but \`${model}\` is spelled for ${suggested}` : '';
    const edits = suggested && setKey(runbook, 'model_provider', suggested);
    return [
      {
        message: `No \`model_provider\`: ${assumed}${mismatch}. Jetty advises always setting it.`,
        range,
        fixes: edits ? [{ title: `Write model_provider: ${suggested}`, edits, preferred: true }] : [],
      },
    ];
  },
};
