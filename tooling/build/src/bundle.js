#!/usr/bin/env node
/**
 * Bundles an app for plain node: `aimo-bundle src/main.ts src/cli/reconcile.ts` writes dist/main.js and
 * dist/reconcile.js in the app's folder. Workspace packages (which export TypeScript) and libraries are inlined;
 * what the app lists under `dependencies` stays external and is installed beside the bundle: native addons, and
 * apache-arrow, whose classes LanceDB must share. For an app that uses @aimo/db, its SQL migrations are copied
 * to dist/drizzle, where @aimo/db's migrate() looks for them in a bundle.
 */
import { cp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, dirname, extname, join } from "node:path";
import process from "node:process";

import { build } from "esbuild";

const entries = process.argv.slice(2);
if (entries.length === 0) {
  process.stderr.write("usage: aimo-bundle <entry.ts>...\n");
  process.exit(2);
}
// eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- JSON.parse is any; the cast types it
const app =
  /** @type {{ dependencies?: Record<string, string>, devDependencies?: Record<string, string> }} */ (
    JSON.parse(await readFile("package.json", "utf8"))
  );
const outdir = "dist";

await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: Object.fromEntries(entries.map((entry) => [basename(entry, extname(entry)), entry])),
  outdir,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  external: Object.keys(app.dependencies ?? {}),
  // Inlined CommonJS libraries call require() for node's own modules, which an ES module lacks.
  banner: {
    js: "import { createRequire as aimoCreateRequire } from 'node:module'; const require = aimoCreateRequire(import.meta.url);",
  },
  logLevel: "warning",
});

if ({ ...app.dependencies, ...app.devDependencies }["@aimo/db"]) {
  const journal = createRequire(join(process.cwd(), "package.json")).resolve(
    "@aimo/db/drizzle/meta/_journal.json",
  );
  await cp(dirname(dirname(journal)), join(outdir, "drizzle"), { recursive: true });
}
