import type { SQL } from "drizzle-orm";
import { and, eq, gt, lt, or } from "drizzle-orm";
import type { MySqlColumn } from "drizzle-orm/mysql-core";
import { z } from "zod";

import { badRequest } from "../errors";
import { epochMsSchema, idSchema } from "../validation";

/** A position in a list ordered by (time, id), opaque to clients. */
interface Cursor {
  at: number;
  id: string;
}

const encodeCursor = (cursor: Cursor) =>
  Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString("base64url");

/** A decoded cursor is client input: its time must be one a stored row can have, or no Date can be made of it. */
const cursorSchema = z.tuple([epochMsSchema, idSchema]);

function decodeCursor(text: string): Cursor {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    if (parsed.success) return { at: parsed.data[0], id: parsed.data[1] };
  } catch {
    // Falls through to the error below.
  }
  throw badRequest("Invalid cursor");
}

/** Rows beyond a keyset cursor over (time, id), in the list's direction: stable under inserts, no OFFSET scans. */
export function afterCursor(
  timeColumn: MySqlColumn,
  idColumn: MySqlColumn,
  cursorText: string,
  direction: "asc" | "desc",
): SQL {
  const cursor = decodeCursor(cursorText);
  const at = new Date(cursor.at);
  const beyond = direction === "desc" ? lt : gt;
  return or(beyond(timeColumn, at), and(eq(timeColumn, at), beyond(idColumn, cursor.id)))!;
}

/** A page from `limit + 1` fetched rows, and the cursor of the next page when there is one. */
export function keysetPage<T extends { id: string }>(rows: T[], limit: number, timeOf: (row: T) => Date) {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    page,
    nextCursor:
      rows.length > limit && last ? encodeCursor({ at: timeOf(last).getTime(), id: last.id }) : undefined,
  };
}
