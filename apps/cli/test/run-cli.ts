import { spawn } from "node:child_process";

/** The bundle `pnpm aimo` runs (test/build-cli.ts builds it before the tests). */
export const cliBundle = new URL("../dist/main.js", import.meta.url).pathname;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `aimo <args>` in `cwd` with `env` added, `stdin` piped in (or closed at once); resolves when it exits. */
export function runCli(
  args: string[],
  { cwd, env, stdin = "" }: { cwd: string; env: Record<string, string>; stdin?: string },
): Promise<CliRun> {
  const child = spawn(process.execPath, [cliBundle, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}
