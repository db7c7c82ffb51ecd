import type { DbHandle } from "@aimo/db";
import { mysqlErrorCode } from "@aimo/db";
import { getTableName } from "drizzle-orm";
import type { MySqlTable } from "drizzle-orm/mysql-core";
import { getTableConfig } from "drizzle-orm/mysql-core";

/** A SELECT on the target; a table that does not exist yet (a dry run before any migration) has no rows. */
async function select<T>(handle: DbHandle, query: string, params: unknown[]): Promise<T[]> {
  try {
    const [rows] = await handle.pool.query(query, params);
    return rows as T[];
  } catch (error) {
    if (mysqlErrorCode(error) === "ER_NO_SUCH_TABLE") return [];
    throw error;
  }
}

/** The property name and column name of a table's single-column primary key. */
export function primaryKeyOf(table: MySqlTable): { key: string; column: string } {
  const column = getTableConfig(table).columns.find((c) => c.primary);
  if (!column) throw new Error(`${getTableName(table)} has no single-column primary key`);
  const key = Object.entries(table).find(([, value]) => value === column)?.[0] ?? column.name;
  return { key, column: column.name };
}

/** Which of these ids the target table already has (one indexed lookup). */
export async function existingIds(handle: DbHandle, table: MySqlTable, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const key = primaryKeyOf(table).column;
  const rows = await select<{ id: string }>(
    handle,
    `SELECT \`${key}\` AS id FROM \`${getTableName(table)}\` WHERE \`${key}\` IN (?)`,
    [ids],
  );
  return new Set(rows.map((r) => r.id));
}

/** Owners of the memos among these ids that the target holds. */
export async function memoOwners(handle: DbHandle, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await select<{ id: string; uid: string }>(
    handle,
    "SELECT id, uid FROM memos WHERE id IN (?)",
    [[...new Set(ids)]],
  );
  return new Map(rows.map((r) => [r.id, r.uid]));
}
