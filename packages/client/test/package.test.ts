import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";

import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The client as someone outside this repository gets it: `pnpm pack` (which builds it and turns the workspace's
 * catalog: versions into real ones), `npm install` of the tarball into a scratch app in a temp folder, then that
 * app's own `tsc` (DOM + ES2022, no @types/node, skipLibCheck off) and a bundle of it.
 */
const run = promisify(execFile);
const packageDir = resolve(import.meta.dirname, "..");
const require = createRequire(import.meta.url);
const tsc = join(dirname(require.resolve("typescript/package.json")), "bin", "tsc");
const MAX_BUNDLE_GZIP_BYTES = 20 * 1024;

let scratch: string;
let tarball: string;

const APP_SOURCE = `import { createAimoClient, uploadAttachment, type MemoDto, type RouterOutputs } from "@aimo/client";

const client = createAimoClient({ url: location.origin, token: () => localStorage.getItem("token") ?? undefined });

export async function newestMemos(): Promise<{ items: MemoDto[]; nextCursor?: string }> {
  const page: RouterOutputs["memo"]["list"] = await client.memo.list.query({ limit: 20 });
  return page;
}

export async function write(content: string, file?: File): Promise<string> {
  const attachmentIds = file ? [(await uploadAttachment({ url: location.origin }, file, file.name)).id] : [];
  const memo = await client.memo.create.mutate({ content, attachmentIds });
  // @ts-expect-error a misspelt field is a type error
  void memo.contnet;
  // @ts-expect-error an unknown procedure is a type error
  void client.memo.lists;
  return memo.id;
}
`;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "aimo-client-pack-"));
  const { stdout } = await run("pnpm", ["pack", "--pack-destination", scratch], {
    cwd: packageDir,
    maxBuffer: 16 * 1024 * 1024,
  });
  tarball = join(
    scratch,
    (await readdir(scratch)).find((name) => name.endsWith(".tgz"))!,
  );
  expect(stdout).toContain(".tgz");

  const app = join(scratch, "app");
  await mkdir(join(app, "src"), { recursive: true });
  await writeFile(
    join(app, "package.json"),
    JSON.stringify({ name: "scratch-app", private: true, type: "module" }),
  );
  await writeFile(
    join(app, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        lib: ["DOM", "ES2022"],
        types: [],
        module: "ESNext",
        moduleResolution: "Bundler",
        strict: true,
        skipLibCheck: false,
        noEmit: true,
      },
      include: ["src"],
    }),
  );
  await writeFile(join(app, "src", "main.ts"), APP_SOURCE);
  await run("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock", tarball], {
    cwd: app,
    maxBuffer: 16 * 1024 * 1024,
  });
}, 900_000);
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe("the packed client", () => {
  it("holds only built files, and names real versions and the built entry points", async () => {
    const { stdout } = await run("tar", ["tzf", tarball]);
    expect(stdout.trim().split("\n").sort()).toEqual([
      "package/CHANGELOG.md",
      "package/dist/index.d.ts",
      "package/dist/index.js",
      "package/package.json",
    ]);
    const manifest = JSON.parse(
      await readFile(join(scratch, "app", "node_modules", "@aimo", "client", "package.json"), "utf8"),
    ) as {
      version: string;
      exports: unknown;
      dependencies: Record<string, string>;
      devDependencies?: unknown;
    };
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.exports).toEqual({ ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } });
    expect(Object.keys(manifest.dependencies).sort()).toEqual(["@trpc/client", "@trpc/server", "superjson"]);
    for (const version of Object.values(manifest.dependencies)) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("declares the router in the committed API report: a change to it shows in review", async () => {
    const built = await readFile(join(packageDir, "dist", "index.d.ts"), "utf8");
    const report = await readFile(join(packageDir, "api", "aimo-client.d.ts"), "utf8");
    expect(built, "run `pnpm --filter @aimo/client api-report` and commit api/aimo-client.d.ts").toBe(report);
    // The declarations import only the client's own dependencies: no server package, no source file.
    const imports = [...built.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
    expect(new Set(imports)).toEqual(new Set(["@trpc/server", "@trpc/client"]));
  });

  it("typechecks in an app with DOM and ES2022 only, no @types/node and skipLibCheck off", async () => {
    const app = join(scratch, "app");
    const listed = await run(process.execPath, [tsc, "-p", app, "--listFilesOnly"], { cwd: app });
    const files = listed.stdout.trim().split("\n");
    // Only the app, what npm installed for it, and TypeScript's own lib files: nothing of this repository.
    const typescriptLib = join(dirname(tsc), "..", "lib");
    expect(files.filter((file) => !file.startsWith(app) && !file.startsWith(resolve(typescriptLib)))).toEqual(
      [],
    );
    expect(files.filter((file) => file.includes("@types/node"))).toEqual([]);
    const started = performance.now();
    await run(process.execPath, [tsc, "-p", app], { cwd: app }).catch(
      (error: Error & { stdout?: string }) => {
        throw new Error(`tsc failed:\n${error.stdout ?? error.message}`);
      },
    );
    console.info(
      `scratch app: tsc over ${files.length} files in ${Math.round(performance.now() - started)} ms`,
    );
  });

  it("bundles for the browser within 20 kB gzip, without server code", async () => {
    const result = await build({
      entryPoints: [join(scratch, "app", "src", "main.ts")],
      absWorkingDir: join(scratch, "app"),
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      write: false,
    });
    const bundle = result.outputFiles[0]!.contents;
    const gzipped = gzipSync(bundle).byteLength;
    console.info(`scratch app bundle: ${bundle.byteLength} bytes, ${gzipped} gzip`);
    expect(gzipped).toBeLessThanOrEqual(MAX_BUNDLE_GZIP_BYTES);
    expect(Buffer.from(bundle).toString("utf8")).not.toMatch(/drizzle|mysql2|lancedb|node:/);
  });
});
