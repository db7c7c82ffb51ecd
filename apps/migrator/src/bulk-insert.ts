import type { DbHandle } from "@aimo/db";
import { getTableColumns, getTableName } from "drizzle-orm";
import type { MySqlTable } from "drizzle-orm/mysql-core";

export interface BulkWrite {
  table: MySqlTable;
  rows: Record<string, unknown>[];
}

/** A row's value as mysql2 sends it: JSON columns as text, the rest as they are. */
function dbValue(value: unknown, isJson: boolean): unknown {
  if (value === undefined) return null;
  return isJson ? JSON.stringify(value) : value;
}

/**
 * One multi-row INSERT per table, all in one transaction on one connection. Built from the Drizzle table
 * definitions, but sent as plain mysql2 `VALUES ?`: building large inserts through the query builder costs
 * more than the database takes to run them.
 */
export async function bulkInsert(handle: DbHandle, writes: BulkWrite[]): Promise<void> {
  const connection = await handle.pool.getConnection();
  try {
    await connection.beginTransaction();
    for (const { table, rows } of writes) {
      if (rows.length === 0) continue;
      const columns = Object.entries(getTableColumns(table)).filter(([key]) => key in rows[0]!);
      const names = columns.map(([, column]) => `\`${column.name}\``).join(", ");
      const values = rows.map((row) =>
        columns.map(([key, column]) => dbValue(row[key], column.columnType === "MySqlJson")),
      );
      await connection.query(`INSERT INTO \`${getTableName(table)}\` (${names}) VALUES ?`, [values]);
    }
    await connection.commit();
  } catch (error) {
    await connection.rollback().catch(() => undefined);
    throw error;
  } finally {
    connection.release();
  }
}
