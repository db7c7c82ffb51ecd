import { PassThrough } from "node:stream";

import { MultiBar } from "cli-progress";
import { describe, expect, it } from "vitest";

import {
  createProgressLines,
  createProgressOutput,
  formatBytes,
  formatCount,
  formatDuration,
  LINE_INTERVAL_MS,
} from "../src/index";

describe("formats", () => {
  it("counts with thousands separators", () => {
    expect(formatCount(200_000)).toBe("200,000");
    expect(formatCount(7)).toBe("7");
  });

  it("sizes in decimal units", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1337)).toBe("1.34 kB");
    expect(formatBytes(2_500_000)).toBe("2.5 MB");
  });

  it("durations in seconds, minutes and hours, unknown as ?", () => {
    expect(formatDuration(15.4)).toBe("15 s");
    expect(formatDuration(200)).toBe("3 min 20 s");
    expect(formatDuration(3960)).toBe("1 h 6 min");
    expect(formatDuration(Infinity)).toBe("?");
  });
});

describe("progress lines", () => {
  it("print the first line at once, then one every 2 s, a final one always, never the same twice", () => {
    let clock = 0;
    const printed: string[] = [];
    const lines = createProgressLines({ now: () => clock, print: (line) => printed.push(line) });
    for (const [at, text, final] of [
      [100, "a", false],
      [100 + LINE_INTERVAL_MS - 1, "b", false],
      [100 + LINE_INTERVAL_MS, "c", false],
      [100 + LINE_INTERVAL_MS + 10, "d", true],
      [100 + LINE_INTERVAL_MS + 20, "d", true],
    ] as const) {
      clock = at;
      lines.offer(() => text, final);
    }
    expect(printed).toEqual(["a", "c", "d"]);
    lines.restart();
    lines.offer(() => "e");
    expect(printed.at(-1)).toBe("e");
  });
});

describe("progress output", () => {
  it("is lines on a stream that is not a terminal, written there", () => {
    const stream = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
    const output = createProgressOutput(stream);
    expect(output.bars).toBeUndefined();
    output.lines?.offer(() => "Uploading: 1 kB");
    expect(String((stream as unknown as PassThrough).read())).toBe("Uploading: 1 kB\n");
  });

  it("is bars on a terminal", () => {
    const output = createProgressOutput(new PassThrough() as unknown as NodeJS.WriteStream, { isTty: true });
    expect(output.bars).toBeInstanceOf(MultiBar);
    expect(output.lines).toBeUndefined();
  });
});
