import { isAbsolute } from "node:path";

import { dts } from "rollup-plugin-dts";

/**
 * The declarations of the published client in one file: the router's types are copied in from @aimo/api (and
 * whatever of the workspace they name), so a consumer's compiler never reaches the server's source. Packages
 * from npm stay imports; each one the output names must be a dependency of the client.
 */
export default {
  input: "src/index.ts",
  output: {
    file: "dist/index.d.ts",
    format: "es",
    // @trpc/server's declarations name Disposable and AsyncDisposable: an app on lib ES2022 gets them from here.
    banner: '/// <reference lib="esnext.disposable" />',
  },
  external: (/** @type {string} */ id) => !id.startsWith("@aimo/") && !id.startsWith(".") && !isAbsolute(id),
  plugins: [
    dts({
      respectExternal: true,
      tsconfig: "tsconfig.json",
      // Workspace packages resolved by path rather than through node_modules: TypeScript then treats their
      // files as sources of the one program instead of external libraries (one program per file, gigabytes).
      compilerOptions: { paths: { "@aimo/*": ["../*/src/index.ts"] } },
    }),
  ],
};
