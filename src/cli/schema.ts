// jetty-runbook schema: prints the runbook front-matter's JSON Schema (the build also writes it to dist/runbook.schema.json).
import { runbookJsonSchema } from '../core/runbook/schema';
import type { Subcommand } from './common';

const schema: Subcommand = async () => {
  process.stdout.write(JSON.stringify(runbookJsonSchema(), null, 2) + '\n');
  return 0;
};

export default schema;
