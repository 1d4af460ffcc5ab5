// The Daytona SDK as its own bundle (dist/daytona-sdk.js), required on the first run only: see esbuild.mjs.
export * from "@daytonaio/sdk";
