// No `agent`: say which runtime Jetty will pick, and offer to write it down.
import { DEFAULT_AGENT } from '../../catalog';
import { setKey } from '../edits';
import type { Rule } from '../lint';

export const agentMissing: Rule = {
  code: 'agent-missing',
  severity: 'information',
  description: 'No `agent`: Jetty infers it from the model, else uses claude-code.',
  check(runbook) {
    if (runbook.entry('agent') || runbook.hasYamlErrors || !isMappingOrEmpty(runbook.frontMatter?.data)) return [];
    const { agent, model } = runbook.runtime;
    const why =
      model && agent !== DEFAULT_AGENT
        ? `infers ${agent} from the model \`${model}\``
        : model
          ? `runs ${agent}, its default (the model \`${model}\` does not name another runtime)`
          : `runs ${agent}, its default`;
    const edits = setKey(runbook, 'agent', agent);
    return [
      {
        message: `No \`agent\`: Jetty ${why}. Write it down to make the runtime explicit.`,
        range: runbook.frontMatter?.openRange ?? runbook.range({ start: 0, end: 0 }),
        fixes: edits ? [{ title: `Write agent: ${agent}`, edits, preferred: true }] : [],
      },
    ];
  },
};

export function isMappingOrEmpty(data: unknown): boolean {
  return data === undefined || data === null || (typeof data === 'object' && !Array.isArray(data));
}
