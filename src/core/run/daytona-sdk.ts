// The lazily loaded part of the Daytona sandbox, as its own bundle (dist/daytona-sdk.js), required on the first run only
// (see esbuild.mjs and loadSdk() in ./daytona.ts): the SDK, and the tar reader that unpacks downloaded folders.
export * from '@daytonaio/sdk';
export { x as extractTar } from 'tar';
