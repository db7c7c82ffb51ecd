import { parseEnv } from "@aimo/env";
import { describe, expect, it } from "vitest";

import { vectorsEnvSchema } from "../src";
import { cleanupCutoff } from "../src/maintain";

const at = (...times: number[]) => times.map((t) => ({ timestamp: new Date(t) }));
const MINUTE = 60_000;

describe("the version cleanup's cutoff", () => {
  it("keeps the version that was current at the retention's horizon and every later one", () => {
    const cutoff = cleanupCutoff(at(0, 10 * MINUTE, 20 * MINUTE), 25 * MINUTE, 2 * MINUTE);
    // LanceDB removes what was made before the cutoff: the first version goes, the one current until minute 20 stays.
    expect(cutoff.getTime()).toBe(20 * MINUTE);
    expect(cleanupCutoff(at(0, 10 * MINUTE, 20 * MINUTE), 21 * MINUTE, 2 * MINUTE).getTime()).toBe(
      10 * MINUTE,
    );
  });

  it("keeps a version made long ago that was superseded a moment ago", () => {
    const now = 24 * 60 * MINUTE;
    expect(cleanupCutoff(at(0, now - 1000), now, 2 * MINUTE).getTime()).toBe(0);
  });

  it("removes nothing when every version is younger than the retention, and all but the newest with none", () => {
    expect(cleanupCutoff(at(5 * MINUTE, 6 * MINUTE), 6 * MINUTE, 2 * MINUTE).getTime()).toBe(4 * MINUTE);
    expect(cleanupCutoff(at(5 * MINUTE, 6 * MINUTE), 7 * MINUTE, 0).getTime()).toBe(6 * MINUTE);
  });
});

describe("the retention setting", () => {
  it("is in minutes, and the days variable it replaced is refused with what to set instead", () => {
    expect(vectorsEnvSchema.parse({}).LANCEDB_VERSION_RETENTION_MINUTES).toBe(2);
    expect(() => parseEnv(vectorsEnvSchema, { LANCEDB_VERSION_RETENTION_DAYS: "7" })).toThrow(
      /LANCEDB_VERSION_RETENTION_DAYS: was replaced by LANCEDB_VERSION_RETENTION_MINUTES/,
    );
  });
});
