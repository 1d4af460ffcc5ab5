// No `model`: say which model the runtime will use with this provider (or that Jetty documents none), and offer to
// write it down.
import { defaultModel } from '../../catalog';
import { setKey } from '../edits';
import type { Rule } from '../lint';
import { isMappingOrEmpty } from './agent-missing';

export const modelMissing: Rule = {
  code: 'model-missing',
  severity: 'information',
  description: "No `model`: the runtime's default model is used.",
  check(runbook) {
    if (
      runbook.entry('model') ||
      runbook.hasYamlErrors ||
      runbook.runtime.agentInvalid ||
      !isMappingOrEmpty(runbook.frontMatter?.data)
    )
      return [];
    const { agent, provider } = runbook.runtime;
    // The same default the run uses, for this provider (a Bedrock runbook needs a Bedrock model ID).
    const fallback = defaultModel(agent, runbook.providerUnsupported ? undefined : provider);
    const range =
      runbook.entry('agent')?.keyRange ?? runbook.frontMatter?.openRange ?? runbook.range({ start: 0, end: 0 });
    if (!fallback) {
      return [
        {
          message: `No \`model\`: Jetty documents no default model for ${agent}, so the run may fail at its first request. Set \`model\`.`,
          range,
        },
      ];
    }
    const edits = setKey(runbook, 'model', fallback);
    return [
      {
        message: `No \`model\`: ${agent} uses its default, \`${fallback}\`. Write it down so the run does not change when the default does.`,
        range,
        fixes: edits ? [{ title: `Write model: ${fallback}`, edits, preferred: true }] : [],
      },
    ];
  },
};
