/** How often a progress line is printed when the output is not a terminal (turbo, a log file, CI, a pipe). */
export const LINE_INTERVAL_MS = 2000;

export interface ProgressLines {
  /**
   * Prints the line if none was printed in the last 2 s, or if `final` (a step's end); the first is printed at once.
   * A line equal to the one printed last is left out. `line` is only built when it is printed.
   */
  offer(line: () => string, final?: boolean): void;
  /** Makes the next line print at once (a new step began). */
  restart(): void;
}

/** Progress as plain lines, few enough for a log: turbo and CI pass them on as they come. */
export function createProgressLines({
  print,
  now = Date.now,
}: {
  print: (line: string) => void;
  now?: () => number;
}): ProgressLines {
  let printedAt = -Infinity;
  let printed = "";
  return {
    offer(line, final = false) {
      if (!final && now() - printedAt < LINE_INTERVAL_MS) return;
      printedAt = now();
      const text = line();
      if (text === printed) return;
      printed = text;
      print(text);
    },
    restart() {
      printedAt = -Infinity;
    },
  };
}
