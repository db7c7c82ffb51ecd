import { SingleBar } from "cli-progress";

/** How often a progress line is printed when stderr is not a terminal (a log, CI, a pipe). */
const LINE_INTERVAL_MS = 2000;

const count = new Intl.NumberFormat("en-US");

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

export interface Progress {
  /** Moves to `done` (of `total` when it is known). */
  update(done: number, total?: number): void;
  /** Leaves the bar (or prints the last line). */
  stop(): void;
}

/**
 * Progress of one long step on stderr, so stdout keeps the answer (and `--json` stays one document). On a terminal a
 * bar; otherwise a plain line every 2 s and at the end. `unit` formats the counts (bytes, items).
 */
export function createProgress(
  label: string,
  {
    unit = (n: number) => count.format(n),
    quiet = false,
  }: { unit?: (n: number) => string; quiet?: boolean } = {},
): Progress {
  if (quiet) return { update() {}, stop() {} };
  const line = (done: number, total?: number) =>
    `${label}: ${unit(done)}${total ? ` of ${unit(total)} (${((done / total) * 100).toFixed(0)}%)` : ""}`;
  if (process.stderr.isTTY) {
    let bar: SingleBar | null = null;
    let unknownTotal = false;
    return {
      update(done, total) {
        if (!bar) {
          unknownTotal = !total;
          bar = new SingleBar({
            format: unknownTotal
              ? `${label} {size}`
              : `${label} [{bar}] {percentage}% | {size} | {eta_formatted} left`,
            hideCursor: true,
            stream: process.stderr,
            clearOnComplete: false,
          });
          bar.start(total ?? 0, 0, { size: unit(0) });
        }
        if (total) bar.setTotal(total);
        bar.update(done, { size: unknownTotal ? unit(done) : `${unit(done)} of ${unit(total ?? 0)}` });
      },
      stop() {
        bar?.stop();
      },
    };
  }
  let printedAt = -Infinity;
  let last: [number, number | undefined] | null = null;
  let printed = "";
  const print = (text: string) => {
    if (text === printed) return;
    printed = text;
    process.stderr.write(`${text}\n`);
  };
  return {
    update(done, total) {
      last = [done, total];
      if (Date.now() - printedAt >= LINE_INTERVAL_MS) {
        printedAt = Date.now();
        print(line(done, total));
      }
    },
    stop() {
      if (last) print(line(...last));
    },
  };
}
