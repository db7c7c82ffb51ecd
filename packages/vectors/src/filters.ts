/** A SQL string literal for a LanceDB filter (no bind parameters there): quotes doubled. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** `column IN ('a', 'b')`; column names are quoted because LanceDB lower-cases bare identifiers. */
export function inList(column: string, values: string[]): string {
  return `${quoteColumn(column)} IN (${values.map(sqlString).join(", ")})`;
}

export function quoteColumn(column: string): string {
  return `\`${column}\``;
}

/** LanceDB's IN lists and merge batches stay bounded. */
export function chunks<T>(items: T[], size = 1000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Arrow rows are proxies over record batches: copy what we keep. */
export function toFloat32(value: unknown): Float32Array {
  if (value instanceof Float32Array) return new Float32Array(value);
  return Float32Array.from((value as { toArray(): ArrayLike<number> }).toArray());
}
