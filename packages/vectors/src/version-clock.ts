/** Spans kept between two maintenances; past this the oldest go, and a cleanup may list the versions instead. */
const MAX_SPANS = 10_000;

/**
 * When this process's writes to one table made their versions, so the version cleanup can place its cutoff
 * without `listVersions()`, which reads every manifest (about 0.3 ms each: a second per maintenance on a table
 * written ten times a second and keeping two minutes of versions). A write that always commits a version
 * (an add or merge of rows) is timed: the version it made is dated within its span.
 */
export function createVersionClock(now: () => number = Date.now) {
  let spans: { start: number; end: number }[] = [];
  return {
    /** Runs `write`, which commits exactly one new version when it succeeds, and remembers its span. */
    async versioned<T>(write: () => Promise<T>): Promise<T> {
      const start = now();
      const result = await write();
      spans.push({ start, end: now() });
      if (spans.length > MAX_SPANS) spans = spans.slice(-MAX_SPANS / 2);
      return result;
    },
    /**
     * A cutoff for a cleanup that must keep the version current at `horizon` and every later one: the start of
     * the last write that ended by then. Its version, dated at or after that start, is current at the horizon or
     * was superseded by a later one that is kept; every version dated before it was superseded by then. Undefined
     * when no such write is known (another process wrote, or this one has just started).
     */
    cutoffAt(horizon: number): Date | undefined {
      const last = spans.findLastIndex((span) => span.end <= horizon);
      if (last < 0) return undefined;
      const { start } = spans[last]!;
      spans = spans.slice(last);
      return new Date(start);
    },
  };
}

export type VersionClock = ReturnType<typeof createVersionClock>;
