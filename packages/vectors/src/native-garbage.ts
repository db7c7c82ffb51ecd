import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * V8's full collection: `gc` when node runs with --expose-gc, else the same function taken from a fresh context
 * with the flag set for that moment only (as Jest's leak detector takes it).
 */
export function fullCollection(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString("--expose-gc");
  try {
    return runInNewContext("gc") as () => void;
  } finally {
    setFlagsFromString("--no-expose-gc");
  }
}

/**
 * LanceDB's napi objects (a query's spent stream, a write's builder, a renewed-away connection) keep native
 * memory, table versions' datasets among it, until V8 finalizes them, which it does on a full collection only; a
 * server's small JS heap seldom needs one, so under sustained writes RSS grew ~400 KB per write to ~1.1 GiB
 * before one came (lancedb/lancedb#2512 reports the same from Python). A full collection every `every` commits
 * (0: never) held it at ~650 MiB, each collection taking 26-45 ms; it runs once the commit's writers have
 * resumed. A connection renewed away after maintenance holds its whole session (caches and a warmed vector index)
 * until then, so a renewal collects too, and the commits are counted from there.
 */
export function createNativeGarbageCollector(every: number, collector = fullCollection) {
  let commits = 0;
  let collect: (() => void) | undefined;
  const collectSoon = () => {
    commits = 0;
    setImmediate((collect ??= collector()));
  };
  return {
    afterCommit() {
      if (every !== 0 && ++commits >= every) collectSoon();
    },
    afterRenewal() {
      if (every !== 0) collectSoon();
    },
  };
}
