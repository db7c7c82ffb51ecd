import type { Connection, Table } from "@lancedb/lancedb";

interface Generation<Name extends string> {
  db: Connection;
  tables: Record<Name, Table>;
}

/** Closes a generation unless a call is still running on one of its tables (LanceDB refuses then); true when closed. */
function tryClose<Name extends string>(generation: Generation<Name>): boolean {
  try {
    for (const table of Object.values<Table>(generation.tables)) if (table.isOpen()) table.close();
    if (generation.db.isOpen()) generation.db.close();
    return true;
  } catch {
    return false;
  }
}

/**
 * Tables whose LanceDB connection can be swapped for a fresh one. A connection keeps memory for the table
 * versions it has seen (about 100 KB per commit on this machine, caches bounded or not) and gives it back only
 * when it is closed or collected. The store renews after each maintenance. An old connection is closed as soon
 * as no call runs on it (at that renewal or a later one): left to the garbage collector, which seldom runs with
 * the small JavaScript heap a server keeps, old connections held about 1 GB after 2,000 quick writes.
 */
export function createRenewableTables<Name extends string>(
  first: Generation<Name>,
  connectFresh: () => Promise<Connection>,
) {
  let current = first;
  let retired: Generation<Name>[] = [];
  const names = Object.keys(first.tables) as Name[];
  // Each call goes to the current connection's table; a call's own `this` is that table, not the proxy.
  const live = (name: Name): Table =>
    new Proxy({} as Table, {
      get(_, property) {
        const table = current.tables[name];
        const value: unknown = Reflect.get(table, property, table);
        return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(table) : value;
      },
    });
  let renewing: Promise<void> | undefined;
  const swap = async () => {
    const db = await connectFresh();
    try {
      const opened = await Promise.all(names.map(async (name) => [name, await db.openTable(name)] as const));
      retired.push(current);
      current = { db, tables: Object.fromEntries(opened) as Record<Name, Table> };
      retired = retired.filter((generation) => !tryClose(generation));
    } catch (error) {
      db.close();
      throw error;
    }
  };
  return {
    tables: Object.fromEntries(names.map((name) => [name, live(name)])) as Record<Name, Table>,
    renew() {
      // One renewal at a time: maintenance and the commit count may both ask.
      return (renewing ??= swap().finally(() => (renewing = undefined)));
    },
    close() {
      for (const generation of [...retired, current]) tryClose(generation);
    },
  };
}
