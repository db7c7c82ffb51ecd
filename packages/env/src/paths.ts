import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";

/**
 * Relative local paths are relative to the repository root (the folder with pnpm-workspace.yaml), because
 * `pnpm start` and `pnpm migrate:data` run each app's script in its own folder: server and migrator must
 * agree on where `./data/lancedb` is. URIs (s3://, db://) are returned unchanged.
 */
export function resolveWorkspacePath(path: string, from = process.cwd()): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path) || isAbsolute(path)) return path;
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return resolve(dir, path);
    if (dirname(dir) === dir) return resolve(from, path);
  }
}
