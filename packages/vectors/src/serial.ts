import { retryCommit } from "./commit-retry";
import type { VersionClock } from "./version-clock";

/**
 * Runs writes to one LanceDB table one after another. Each write is a new table version; concurrent
 * commits in one process only fight over the manifest and retry, so queueing them is both faster and safer.
 * A write that loses a commit race to another process is run again (retryCommit).
 * `onSettled` counts the writes, so maintenance can follow them.
 */
export function createSerialQueue(onSettled: () => void = () => undefined) {
  let tail: Promise<unknown> = Promise.resolve();
  return function enqueue<T>(task: () => Promise<T>): Promise<T> {
    const attempt = () => retryCommit(task);
    const run = tail.then(attempt, attempt).finally(onSettled);
    tail = run.catch(() => undefined);
    return run;
  };
}

export type SerialQueue = ReturnType<typeof createSerialQueue>;

/**
 * How one table's writes run: through one serial queue, in which maintenance's compaction also takes its turn
 * (a compaction racing a write loses its commit and compacts nothing), counted, so maintenance follows them, and
 * dated, so its version cleanup need not list the versions.
 */
export interface TableWrites {
  queue: SerialQueue;
  onCommit: () => void;
  clock: VersionClock;
}

/**
 * A serial queue that coalesces: writes that arrive while a commit runs wait, and the next commit takes every
 * waiting write that `joins` the batch it is gathering (in arrival order). Each commit is a LanceDB version and
 * a fragment, so twenty concurrent saves make one, and none waits longer than the commit before it. `commit`
 * answers one result per write; a failed commit fails every write in it.
 */
export function createCoalescingQueue<W, R>(
  commit: (batch: W[]) => Promise<R[]>,
  joins: (batch: W[], next: W) => boolean,
  writes: TableWrites,
): (write: W) => Promise<R> {
  const { queue: serial, onCommit } = writes;
  const waiting: { write: W; settle: (result: { value: R } | { error: Error }) => void }[] = [];
  const takeBatch = () => {
    const batch = [waiting.shift()!];
    const writes = [batch[0]!.write];
    while (waiting.length > 0 && joins(writes, waiting[0]!.write)) {
      const next = waiting.shift()!;
      batch.push(next);
      writes.push(next.write);
    }
    return { batch, writes };
  };
  return (write) => {
    const done = new Promise<R>((resolve, reject) =>
      waiting.push({ write, settle: (r) => ("error" in r ? reject(r.error) : resolve(r.value)) }),
    );
    // One task per write: each takes whatever has gathered by its turn, so a later task may find nothing left.
    void serial(async () => {
      if (waiting.length === 0) return;
      const { batch, writes } = takeBatch();
      try {
        const results = await commit(writes);
        batch.forEach(({ settle }, i) => settle({ value: results[i]! }));
      } catch (error) {
        const reason = error instanceof Error ? error : new Error(String(error));
        for (const { settle } of batch) settle({ error: reason });
      } finally {
        onCommit();
      }
    });
    return done;
  };
}
