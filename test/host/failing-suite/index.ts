// The harness's own check (test/host/harness.test.ts): this suite runs through the same entry as the real one.
export { run } from '../../suite/index';
