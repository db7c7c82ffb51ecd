import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/** The tests run what `pnpm aimo` runs: the esbuild bundle, built as `pnpm build` builds it. */
export default async function buildCli() {
  await promisify(execFile)("pnpm", ["run", "build"], { cwd: fileURLToPath(new URL("..", import.meta.url)) });
}
