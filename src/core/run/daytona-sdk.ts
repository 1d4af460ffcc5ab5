// The lazily loaded part of the Daytona sandbox, as its own bundle (dist/daytona-sdk.js), required on the first run only
// (see esbuild.mjs and loadSdk() in ./daytona.ts).
export * from '@daytonaio/sdk';
