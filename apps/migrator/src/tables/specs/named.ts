import { categories, NAME_MAX, tags } from "@aimo/db";
import type { MySqlTable } from "drizzle-orm/mysql-core";

import type { MappingContext } from "../context";
import type { NameResolution } from "../unique";
import { RecordError, requiredText, text, timestamp } from "../values";
import type { TableSpec } from "./types";
import { countRepair, tableSpec } from "./types";

/** Categories and tags: per-user names, unique ignoring case (see `resolveNames`). */
function namedSpec(
  target: MySqlTable,
  legacyIdColumn: string,
  names: (ctx: MappingContext) => NameResolution,
  noun: string,
  extra: Record<string, unknown> = {},
): TableSpec {
  return tableSpec({
    target,
    legacyIdColumn,
    map(row, { id, ctx, repairs }) {
      const { merged, renamed } = names(ctx);
      if (merged.has(id)) {
        countRepair(repairs, `duplicate ${noun} names merged`);
        return null;
      }
      const given = requiredText(row.name, "name");
      const value = renamed.get(id) ?? given.trim();
      if (renamed.has(id))
        countRepair(repairs, `${noun} names suffixed (equal to another in MySQL's collation)`);
      else if (value !== given) countRepair(repairs, `${noun} names trimmed`);
      if (!value) throw new RecordError("name is empty");
      if ([...value].length > NAME_MAX) throw new RecordError(`name is longer than ${NAME_MAX} characters`);
      return {
        row: {
          uid: String(row.uid),
          name: value,
          color: text(row.color),
          ...extra,
          createdAt: timestamp(row.createdAt, "createdAt"),
          updatedAt: timestamp(row.updatedAt, "updatedAt"),
        },
      };
    },
  });
}

export const categoriesSpec = namedSpec(categories, "categoryId", (ctx) => ctx.categories, "category");

// Tag usage counts start at 0 and are recomputed from the memos once they are in (the legacy counter drifts).
export const tagsSpec = namedSpec(tags, "tagId", (ctx) => ctx.tags, "tag", { usageCount: 0 });
