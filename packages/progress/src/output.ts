import { MultiBar, Presets } from "cli-progress";

import type { ProgressLines } from "./lines";
import { createProgressLines } from "./lines";

/** Bars redrawn in place on a terminal; plain lines anywhere else, where redrawing would fill a log. */
export type ProgressOutput = { bars: MultiBar; lines?: never } | { bars?: never; lines: ProgressLines };

/**
 * Where a command's progress goes on `stream`: bars if it is a terminal (each made with its own format by
 * `bars.create(total, 0, payload, { format })`), else lines printed there (or to `print`) every 2 s.
 */
export function createProgressOutput(
  stream: NodeJS.WriteStream,
  {
    isTty = Boolean(stream.isTTY),
    print = (line: string) => stream.write(`${line}\n`),
    now,
  }: { isTty?: boolean; print?: (line: string) => void; now?: () => number } = {},
): ProgressOutput {
  return isTty
    ? {
        bars: new MultiBar({ stream, hideCursor: true, clearOnComplete: false }, Presets.shades_classic),
      }
    : { lines: createProgressLines({ print, now }) };
}
