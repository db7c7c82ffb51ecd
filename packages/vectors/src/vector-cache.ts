import type { Table } from "@lancedb/lancedb";
import type { Schema } from "apache-arrow";

import { arrowTable } from "./arrow-rows";
import { chunks, inList, sqlString, toFloat32 } from "./filters";
import type { TableWrites } from "./serial";
import { createCoalescingQueue } from "./serial";
import type { VectorCache, VectorCacheEntry } from "./types";

/** Entries one coalesced commit takes at most. */
const MAX_COALESCED = 5000;

/** One cache row's identity: model, modality (multimodal cache only) and content. */
export const cacheKeyOf = (entry: Pick<VectorCacheEntry, "modelHash" | "contentHash" | "modalityType">) =>
  `${entry.modelHash}\u0000${entry.modalityType ?? ""}\u0000${entry.contentHash}`;

/** embedding_cache or multimodal_embedding_cache, keyed like the legacy AIMO's so migrated rows are hits. */
export function createVectorCache(
  table: Table,
  schema: Schema,
  dimensions: number,
  withModality: boolean,
  writes: TableWrites,
): VectorCache {
  const keyFilter = (modelHash: string, contentHashes: string[], modalityType?: string) =>
    [
      `modelHash = ${sqlString(modelHash)}`,
      inList("contentHash", contentHashes),
      ...(withModality && modalityType !== undefined ? [`modalityType = ${sqlString(modalityType)}`] : []),
    ].join(" AND ");

  const getMany: VectorCache["getMany"] = async (modelHash, contentHashes, modalityType) => {
    const found = new Map<string, Float32Array>();
    for (const part of chunks([...new Set(contentHashes)])) {
      const rows = (await table
        .query()
        .where(keyFilter(modelHash, part, modalityType))
        .select(["contentHash", "embedding"])
        .toArray()) as Record<string, unknown>[];
      // Duplicate keys (written by the legacy app under concurrency) hold the same vector: keep the first.
      for (const row of rows) {
        const hash = String(row.contentHash);
        if (!found.has(hash)) found.set(hash, toFloat32(row.embedding));
      }
    }
    return found;
  };

  /** Which of these keys the cache holds, reading keys only. */
  const presentHashes = async (modelHash: string, contentHashes: string[], modalityType?: string) => {
    const rows = (await table
      .query()
      .where(keyFilter(modelHash, contentHashes, modalityType))
      .select(["contentHash"])
      .toArray()) as Record<string, unknown>[];
    return new Set(rows.map((row) => String(row.contentHash)));
  };

  const checked = (entries: VectorCacheEntry[]) => {
    for (const entry of entries) {
      if (entry.vector.length !== dimensions)
        throw new Error(`cache vector has ${entry.vector.length} dimensions, the cache holds ${dimensions}`);
    }
    return [...new Map(entries.map((e) => [cacheKeyOf(e), e])).values()];
  };
  const write = (fresh: VectorCacheEntry[]) => {
    const now = Date.now();
    return writes.clock.versioned(() =>
      table.add(
        arrowTable(
          schema,
          {
            modelHash: fresh.map((e) => e.modelHash),
            contentHash: fresh.map((e) => e.contentHash),
            ...(withModality ? { modalityType: fresh.map((e) => e.modalityType ?? "text") } : {}),
            embedding: fresh.map((e) => e.vector),
            createdAt: fresh.map(() => now),
          },
          fresh.length,
        ),
      ),
    );
  };

  /** Entries not yet in the table: an existing key is kept, so concurrent writers never duplicate. */
  const absentOf = async (entries: VectorCacheEntry[]) => {
    const groups = new Map<string, VectorCacheEntry[]>();
    for (const e of entries) {
      const group = `${e.modelHash}\u0000${e.modalityType ?? ""}`;
      groups.set(group, [...(groups.get(group) ?? []), e]);
    }
    const fresh: VectorCacheEntry[] = [];
    for (const group of groups.values()) {
      for (const part of chunks(group)) {
        const first = part[0]!;
        const present = await presentHashes(
          first.modelHash,
          part.map((e) => e.contentHash),
          first.modalityType,
        );
        fresh.push(...part.filter((e) => !present.has(e.contentHash)));
      }
    }
    return fresh;
  };
  /** Concurrent puts (one per embedded memo) coalesce into one commit; each learns how many of its keys were new. */
  const queue = createCoalescingQueue<{ entries: VectorCacheEntry[]; lookup: boolean }, number>(
    async (writes) => {
      const all = [...new Map(writes.flatMap((w) => w.entries).map((e) => [cacheKeyOf(e), e])).values()];
      const fresh = writes[0]!.lookup ? await absentOf(all) : all;
      for (const part of chunks(fresh)) await write(part);
      const unclaimed = new Set(fresh.map(cacheKeyOf));
      return writes.map((w) => w.entries.filter((e) => unclaimed.delete(cacheKeyOf(e))).length);
    },
    (batch, next) =>
      next.lookup === batch[0]!.lookup &&
      batch.reduce((n, w) => n + w.entries.length, next.entries.length) <= MAX_COALESCED,
    writes,
  );

  return {
    dimensions,
    getMany,
    async keys() {
      const keys = new Set<string>();
      const columns = ["modelHash", "contentHash", ...(withModality ? ["modalityType"] : [])];
      for await (const batch of table.query().select(columns)) {
        const [models, contents, modalities] = columns.map((c) => batch.getChild(c));
        for (let i = 0; i < batch.numRows; i++) {
          keys.add(
            cacheKeyOf({
              modelHash: String(models?.get(i)),
              contentHash: String(contents?.get(i)),
              ...(modalities ? { modalityType: String(modalities.get(i)) } : {}),
            }),
          );
        }
      }
      return keys;
    },
    async append(entries) {
      if (entries.length > 0) await queue({ entries: checked(entries), lookup: false });
    },
    putMany: async (entries) => (entries.length > 0 ? queue({ entries: checked(entries), lookup: true }) : 0),
  };
}
