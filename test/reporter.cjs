// Mocha's spec reporter, plus one JSON line of totals appended to $JETTY_TEST_STATS when it is set, so test/all.ts can
// add up every stage (unit, e2e, inside VS Code) into the final "N passed, N failed" line.
'use strict';
const fs = require('node:fs');
const Mocha = require('mocha');

class JettyReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.JETTY_TEST_STATS;
      if (!file) return;
      const { passes, failures, pending } = this.stats;
      const stage = process.env.JETTY_TEST_STAGE || 'mocha';
      fs.appendFileSync(file, JSON.stringify({ stage, passes, failures, pending }) + '\n');
    });
  }
}
module.exports = JettyReporter;
