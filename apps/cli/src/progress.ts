import { createProgressOutput, formatCount } from "@aimo/progress";

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
  { unit = formatCount, quiet = false }: { unit?: (n: number) => string; quiet?: boolean } = {},
): Progress {
  if (quiet) return { update() {}, stop() {} };
  const { bars, lines } = createProgressOutput(process.stderr);
  if (bars) {
    let bar: ReturnType<typeof bars.create> | null = null;
    let unknownTotal = false;
    return {
      update(done, total) {
        if (!bar) {
          unknownTotal = !total;
          bar = bars.create(
            total ?? 0,
            0,
            { size: unit(0) },
            {
              format: unknownTotal
                ? `${label} {size}`
                : `${label} [{bar}] {percentage}% | {size} | {eta_formatted} left`,
            },
          );
        }
        if (total) bar.setTotal(total);
        bar.update(done, { size: unknownTotal ? unit(done) : `${unit(done)} of ${unit(total ?? 0)}` });
      },
      stop() {
        bars.stop();
      },
    };
  }
  const line = (done: number, total?: number) =>
    `${label}: ${unit(done)}${total ? ` of ${unit(total)} (${((done / total) * 100).toFixed(0)}%)` : ""}`;
  let last: [number, number | undefined] | null = null;
  return {
    update(done, total) {
      last = [done, total];
      lines.offer(() => line(done, total));
    },
    stop() {
      const final = last;
      if (final) lines.offer(() => line(...final), true);
    },
  };
}
