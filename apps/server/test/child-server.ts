import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const mainScript = new URL("../src/main.ts", import.meta.url).pathname;
const tsxBin = new URL("../node_modules/.bin/tsx", import.meta.url).pathname;

/** A pino JSON line of the server's log. */
export interface LogLine {
  msg?: string;
  url?: string;
  level?: number;
  time?: number;
  [field: string]: unknown;
}

/** Runs the real entry point as a child process; collects its log lines as they are printed and its exit code. */
export function runServer(env: Record<string, string>) {
  const child = spawn(tsxBin, [mainScript], {
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: LogLine[] = [];
  let stderr = "";
  const waiters: { test: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  createInterface({ input: child.stdout }).on("line", (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      return;
    }
    lines.push(line);
    for (const waiter of waiters.filter((w) => w.test(line))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  /** The first line (printed already or to come) that passes `test`. */
  const waitForLine = (test: (line: LogLine) => boolean, what = "a log line") =>
    new Promise<LogLine>((resolve, reject) => {
      const seen = lines.find(test);
      if (seen) return resolve(seen);
      waiters.push({ test, resolve });
      void exited.then((code) => reject(new Error(`server exited (${code}) before ${what}: ${stderr}`)));
    });
  return {
    child,
    lines,
    exited,
    stderr: () => stderr,
    waitForLine,
    waitFor: (msg: string) => waitForLine((l) => l.msg === msg, `"${msg}"`),
  };
}

export type ServerProcess = ReturnType<typeof runServer>;
