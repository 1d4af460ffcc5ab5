// The suite for an untrusted workspace (run by `test/host/run.ts --untrusted test/suite-untrusted`): the same mocha
// entry as test/suite, finding the *.test.js bundled next to this file.
export { run } from '../suite/index';
