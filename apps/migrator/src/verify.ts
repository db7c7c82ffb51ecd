import type { DbHandle } from "@aimo/db";
import { memos, memoTags, users } from "@aimo/db";
import type { VectorStore } from "@aimo/vectors";
import { asc, inArray } from "drizzle-orm";
import type { MySqlColumn } from "drizzle-orm/mysql-core";

import type { LegacySource } from "./legacy/reader";
import { collationKeysOf } from "./collation";
import { buildMappingContext } from "./tables/context";
import { TABLE_SPECS } from "./tables/specs";
import { RecordError } from "./tables/values";

export interface TableVerification {
  table: string;
  checked: number;
  missing: string[];
  mismatched: string[];
  /** Source records whose owner is not in the target: the migrator reports these as failed, never copies them. */
  withoutOwner: string[];
}

export interface VerifyReport {
  tables: TableVerification[];
  orphans: Record<string, number>;
  ok: boolean;
}

/** A stable text of a row's migrated fields: times as epoch ms, keys sorted, so source and target compare. */
export function rowChecksum(row: Record<string, unknown>, fields: string[]): string {
  const normalise = (value: unknown): unknown => {
    if (value instanceof Date) return value.getTime();
    if (value instanceof Float32Array) return Array.from(value);
    if (Array.isArray(value)) return value.map(normalise);
    if (value && typeof value === "object") {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((k) => [k, normalise((value as Record<string, unknown>)[k])]),
      );
    }
    return value ?? null;
  };
  return JSON.stringify(fields.map((f) => normalise(row[f])));
}

const ORPHAN_CHECKS: Record<string, string> = {
  "memos in another user's category":
    "SELECT COUNT(*) AS n FROM memos m JOIN categories c ON c.id = m.category_id WHERE c.uid <> m.uid",
  "memo tags of another user's tag":
    "SELECT COUNT(*) AS n FROM memo_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.uid <> mt.uid",
  "links between users":
    "SELECT COUNT(*) AS n FROM memo_relations r JOIN memos s ON s.id = r.source_memo_id JOIN memos t ON t.id = r.target_memo_id WHERE s.uid <> r.uid OR t.uid <> r.uid",
  "messages outside their conversation's owner":
    "SELECT COUNT(*) AS n FROM ai_messages m JOIN ai_conversations c ON c.id = m.conversation_id WHERE c.uid <> m.uid",
  "tag counts that disagree with the links":
    "SELECT COUNT(*) AS n FROM tags t WHERE t.usage_count <> (SELECT COUNT(*) FROM memo_tags mt WHERE mt.tag_id = t.id)",
};

/**
 * Compares source and target: every record the migrator would write is looked up and its migrated fields,
 * tags and vector compared; then the orphan checks. Records the mapper refuses are not expected.
 */
export async function verifyMigration(
  source: LegacySource,
  handle: DbHandle,
  vectors: VectorStore | null,
  tables: string[],
  batchSize: number,
): Promise<VerifyReport> {
  const ctx = await buildMappingContext(source, collationKeysOf(handle));
  const results: TableVerification[] = [];
  for (const spec of TABLE_SPECS.filter((s) => tables.includes(s.name))) {
    const result: TableVerification = {
      table: spec.name,
      checked: 0,
      missing: [],
      mismatched: [],
      withoutOwner: [],
    };
    const idColumn = (spec.target as unknown as Record<string, MySqlColumn>)[spec.idKey]!;
    for await (const rows of source.batches(spec.name, batchSize)) {
      const parentOwners = spec.ownersOf ? await spec.ownersOf(rows, handle) : new Map<string, string>();
      const expected = rows.flatMap((row) => {
        try {
          const record = spec.map(row, ctx, new Map(), parentOwners);
          return record ? [record] : [];
        } catch (error) {
          if (error instanceof RecordError) return [];
          throw error;
        }
      });
      if (expected.length === 0) continue;
      const ids = expected.map((r) => r.id);
      const found = new Map(
        (await handle.db.select().from(spec.target).where(inArray(idColumn, ids))).map((r) => [
          String((r as Record<string, unknown>)[spec.idKey]),
          r as Record<string, unknown>,
        ]),
      );
      const tagsOf = new Map<string, string[]>();
      if (spec.target === memos) {
        for (const link of await handle.db
          .select()
          .from(memoTags)
          .where(inArray(memoTags.memoId, ids))
          .orderBy(asc(memoTags.position))) {
          tagsOf.set(link.memoId, [...(tagsOf.get(link.memoId) ?? []), link.tagId]);
        }
      }
      const stored =
        spec.vectorTable && vectors
          ? new Map((await vectors[spec.vectorTable].get(ids)).map((v) => [v.id, v]))
          : null;
      const owners = new Set(
        (
          await handle.db
            .select({ uid: users.uid })
            .from(users)
            .where(inArray(users.uid, [...new Set(expected.map((r) => String(r.row.uid)))]))
        ).map((u) => u.uid),
      );
      for (const record of expected) {
        result.checked++;
        const target = found.get(record.id);
        if (!target) {
          if (!owners.has(String(record.row.uid))) result.withoutOwner.push(record.id);
          else if (!spec.collapseDuplicates) result.missing.push(record.id);
          continue;
        }
        const fields = Object.keys(record.row).filter((f) => !(spec.name === "tags" && f === "usageCount"));
        let same = rowChecksum(record.row, fields) === rowChecksum(target, fields);
        if (spec.target === memos) {
          const tagLinks = record.children?.().find((c) => c.table === memoTags)?.rows ?? [];
          same &&=
            JSON.stringify(tagLinks.map((l) => l.tagId)) === JSON.stringify(tagsOf.get(record.id) ?? []);
        }
        if (stored && record.vector) {
          const vector = stored.get(record.id);
          same &&=
            vector !== undefined &&
            vector.uid === record.vector.uid &&
            vector.vector.every((x, i) => x === record.vector!.vector[i]);
        }
        if (!same) result.mismatched.push(record.id);
      }
    }
    results.push(result);
  }
  const orphans: Record<string, number> = {};
  for (const [name, query] of Object.entries(ORPHAN_CHECKS)) {
    const [rows] = await handle.pool.query(query);
    orphans[name] = Number((rows as { n: number }[])[0]?.n ?? 0);
  }
  const ok =
    results.every((r) => r.missing.length === 0 && r.mismatched.length === 0) &&
    Object.values(orphans).every((n) => n === 0);
  return { tables: results, orphans, ok };
}
