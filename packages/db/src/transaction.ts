import type { Database, Executor } from "./client";

export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** Commits when `fn` resolves, rolls back everything when it throws (and rethrows). */
export function withTransaction<T>(db: Database, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}

export type { Executor };
