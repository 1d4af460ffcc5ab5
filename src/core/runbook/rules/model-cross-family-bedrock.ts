// A non-Anthropic Bedrock model under claude-code. Its API client checks model IDs against an Anthropic pattern, so
// Bedrock answers HTTP 400 and the run ends before the agent does anything (seeds/000: zai.glm-5, nvidia.nemotron-…).
import { modelsFor } from '../../catalog';
import { setKey, switchAgent } from '../edits';
import type { Fix, Rule } from '../lint';

export const modelCrossFamilyBedrock: Rule = {
  code: 'model-cross-family-bedrock',
  severity: 'error',
  description: 'A non-Anthropic Bedrock model ID (zai., deepseek., qwen., nvidia., meta.…) under claude-code.',
  check(runbook) {
    const verdict = runbook.modelVerdict;
    const entry = runbook.entry('model');
    if (verdict?.kind !== 'cross-family-bedrock' || !entry?.valueRange) return [];
    const model = runbook.runtime.model!;
    const fixes: Fix[] = [];
    const toHermes = switchAgent(runbook, 'hermes');
    if (toHermes) fixes.push({ title: 'Switch agent to hermes', edits: toHermes, preferred: true });
    for (const anthropic of modelsFor('claude-code', 'bedrock')) {
      const edits = setKey(runbook, 'model', anthropic.id);
      const provider = runbook.runtime.provider === 'bedrock' ? [] : setKey(runbook, 'model_provider', 'bedrock');
      if (edits && provider)
        fixes.push({ title: `Use ${anthropic.id} (Anthropic on Bedrock)`, edits: [...edits, ...provider] });
    }
    return [
      {
        message: `claude-code cannot run \`${model}\`: its API client accepts only Anthropic model IDs, so Bedrock answers HTTP 400 "Request metadata contains a value that violates the regular expression". Run ${verdict.vendorName} models with the hermes agent, or pick an Anthropic Bedrock ID.`,
        range: entry.valueRange,
        fixes,
      },
    ];
  },
};
