import type { DbHandle } from "@aimo/db";

/** Maps each value to its comparison key under a target column's collation. */
export type CollationKeys = (table: string, column: string, values: string[]) => Promise<Map<string, string>>;

const CHUNK = 500;

/**
 * Comparison keys computed by MySQL itself (WEIGHT_STRING under the column's collation), so the migrator sees
 * exactly the collisions a unique index will: case, accents, and in utf8mb4_unicode_ci every emoji are "equal".
 * Values are expected without trailing spaces (PAD SPACE collations ignore them, WEIGHT_STRING does not).
 */
export function collationKeysOf(handle: DbHandle): CollationKeys {
  const collations = new Map<string, Promise<string>>();
  const collationOf = (table: string, column: string) => {
    const key = `${table}.${column}`;
    let found = collations.get(key);
    if (!found) {
      found = (async () => {
        const [rows] = await handle.pool.query(
          `SELECT COLLATION_NAME AS c FROM information_schema.COLUMNS
           WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?`,
          [table, column],
        );
        // Before the schema exists (a dry run), the table will take the database default.
        const [fallback] = await handle.pool.query("SELECT @@collation_database AS c");
        const name = String((rows as { c: string }[])[0]?.c ?? (fallback as { c: string }[])[0]?.c);
        if (!/^\w+$/.test(name)) throw new Error(`unexpected collation "${name}" of ${key}`);
        return name;
      })();
      collations.set(key, found);
    }
    return found;
  };
  return async (table, column, values) => {
    const collation = await collationOf(table, column);
    const distinct = [...new Set(values)];
    const keys = new Map<string, string>();
    for (let i = 0; i < distinct.length; i += CHUNK) {
      const part = distinct.slice(i, i + CHUNK);
      const select = part
        .map(() => `SELECT ? AS i, HEX(WEIGHT_STRING(CONVERT(? USING utf8mb4) COLLATE ${collation})) AS k`)
        .join(" UNION ALL ");
      const [rows] = await handle.pool.query(
        select,
        part.flatMap((value, j) => [j, value]),
      );
      for (const row of rows as { i: number | string; k: string }[]) keys.set(part[Number(row.i)]!, row.k);
    }
    return keys;
  };
}
