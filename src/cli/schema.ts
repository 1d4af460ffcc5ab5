// jetty-runbook schema: prints the runbook front-matter's JSON Schema (the build also writes it to dist/runbook.schema.json).
import { runbookJsonSchema } from '../core/runbook/schema';
import { UsageError, readCommandLine, usageFailed, type Subcommand } from './common';

const USAGE = `usage: jetty-runbook schema
  Prints the JSON Schema of a runbook's front-matter (for editors and CI validators).
`;

const schema: Subcommand = async (args) => {
  const line = readCommandLine('schema', USAGE, args, {});
  if (typeof line === 'number') return line;
  if (line.positionals.length)
    return usageFailed('schema', USAGE, new UsageError(`it takes no arguments (got ${line.positionals.join(' ')})`));
  process.stdout.write(JSON.stringify(runbookJsonSchema(), null, 2) + '\n');
  return 0;
};

export default schema;
