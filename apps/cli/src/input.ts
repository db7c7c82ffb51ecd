import { UsageError } from "./errors";

/** Everything piped into stdin, as text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** One line typed at the terminal, echoed (`hidden` false) or not (a password). */
export function ask(question: string, { hidden = false } = {}): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.resume();
  let value = "";
  return new Promise((resolve, reject) => {
    const finish = () => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n") {
          finish();
          return resolve(value);
        }
        if (char === "\u0003" || char === "\u0004") {
          finish();
          return reject(new UsageError("Cancelled."));
        }
        if (char === "\u007f" || char === "\b") {
          if (value && !hidden) process.stderr.write("\b \b");
          value = value.slice(0, -1);
        } else {
          value += char;
          if (!hidden) process.stderr.write(char);
        }
      }
    };
    stdin.on("data", onData);
  });
}
