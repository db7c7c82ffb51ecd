import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

import { UsageError } from "./errors";

/** What `aimo login` keeps: the server and a personal API token on it. */
export interface CliConfig {
  server: string;
  token: string;
  /** The token's id on the server, when the CLI created it (so it can be revoked by id). */
  tokenId?: string;
  email?: string;
}

/** `$XDG_CONFIG_HOME/aimo/config.json`, or `~/.config/aimo/config.json`. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(homedir(), ".config");
  return join(base, "aimo", "config.json");
}

/** Written readable by its owner only (0600, in a 0700 folder): it holds a bearer token. */
export async function saveConfig(config: CliConfig): Promise<string> {
  const path = configPath();
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  // A file that already existed keeps its old mode through writeFile.
  await chmod(path, 0o600);
  return path;
}

export async function loadConfig(): Promise<CliConfig> {
  const path = configPath();
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      throw new UsageError("Not logged in: run `aimo login` first.");
    throw error;
  }
  const config = JSON.parse(text) as Partial<CliConfig>;
  if (!config.server || !config.token)
    throw new UsageError(`${path} has no server or token: run \`aimo login\` again.`);
  return config as CliConfig;
}

export async function removeConfig(): Promise<void> {
  await rm(configPath(), { force: true });
}
