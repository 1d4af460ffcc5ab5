// Model IDs Jetty's documentation names as failing in a given setting, with what to use instead (catalog BROKEN_MODELS).
import { setKey, switchAgent } from '../edits';
import type { Fix, Rule } from '../lint';

export const modelBroken: Rule = {
  code: 'model-broken',
  severity: 'error',
  description: 'A model ID documented to fail with this agent or provider, with its replacement.',
  check(runbook) {
    const verdict = runbook.modelVerdict;
    const entry = runbook.entry('model');
    if (verdict?.kind !== 'broken' || !entry?.valueRange) return [];
    const { model, agent, provider, providerInferred } = runbook.runtime;
    const { use } = verdict.broken;
    const fixes: Fix[] = [];
    const advice: string[] = [];
    if (verdict.replacement) {
      const edits = setKey(runbook, 'model', verdict.replacement);
      if (edits) fixes.push({ title: `Use ${verdict.replacement}`, edits, preferred: true });
      advice.push(`Use \`${verdict.replacement}\``);
    }
    if (use.provider) {
      const edits = setKey(runbook, 'model_provider', use.provider);
      if (edits) fixes.push({ title: `Set model_provider to ${use.provider}`, edits, preferred: fixes.length === 0 });
      advice.push(`Set \`model_provider: ${use.provider}\``);
    }
    if (use.agent) {
      const edits = switchAgent(runbook, use.agent);
      if (edits) fixes.push({ title: `Switch agent to ${use.agent}`, edits, preferred: fixes.length === 0 });
      advice.push(`Use the ${use.agent} agent`);
    }
    const setting = verdict.broken.providers
      ? `with ${provider}${providerInferred ? ` (Jetty's default for ${agent} when \`model_provider\` is missing)` : ''}`
      : `on ${agent}`;
    const fix = advice.length ? ` ${advice.join(', or ')}.` : ' Pick a documented model instead.';
    return [
      { message: `\`${model}\` fails ${setting}: ${verdict.broken.reason}.${fix}`, range: entry.valueRange, fixes },
    ];
  },
};
