import type { Table } from "@lancedb/lancedb";
import { makeArrowTable } from "@lancedb/lancedb";
import type { Schema } from "apache-arrow";

import { chunks, inList, sqlString, toFloat32 } from "./filters";
import { createSerialQueue } from "./serial";
import type { VectorCache, VectorCacheEntry } from "./types";

/** embedding_cache or multimodal_embedding_cache, keyed like the legacy AIMO's so migrated rows are hits. */
export function createVectorCache(
  table: Table,
  schema: Schema,
  dimensions: number,
  withModality: boolean,
  onCommit?: () => void,
): VectorCache {
  const serial = createSerialQueue(onCommit);
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

  /** The entries whose keys the cache lacks: one lookup of keys per (model, modality) group. */
  const absentEntries = async (entries: VectorCacheEntry[]) => {
    const groups = new Map<string, VectorCacheEntry[]>();
    for (const e of entries) {
      const group = `${e.modelHash}\u0000${e.modalityType ?? ""}`;
      groups.set(group, [...(groups.get(group) ?? []), e]);
    }
    const absent: VectorCacheEntry[] = [];
    for (const group of groups.values()) {
      const first = group[0]!;
      const present = await presentHashes(
        first.modelHash,
        group.map((e) => e.contentHash),
        first.modalityType,
      );
      absent.push(...group.filter((e) => !present.has(e.contentHash)));
    }
    return absent;
  };

  return {
    dimensions,
    getMany,
    async countAbsent(entries) {
      let absent = 0;
      for (const part of chunks(distinctCacheEntries(entries))) absent += (await absentEntries(part)).length;
      return absent;
    },
    async putMany(entries) {
      let inserted = 0;
      for (const part of chunks(distinctCacheEntries(entries))) {
        for (const entry of part) {
          if (entry.vector.length !== dimensions) {
            throw new Error(
              `cache vector has ${entry.vector.length} dimensions, the cache holds ${dimensions}`,
            );
          }
        }
        await serial(async () => {
          // Insert-if-absent: an existing key is kept, so concurrent writers never duplicate.
          const fresh = await absentEntries(part);
          if (fresh.length === 0) return;
          inserted += fresh.length;
          const now = Date.now();
          await table.add(
            makeArrowTable(
              fresh.map((e) => ({
                modelHash: e.modelHash,
                contentHash: e.contentHash,
                ...(withModality ? { modalityType: e.modalityType ?? "text" } : {}),
                embedding: Array.from(e.vector),
                createdAt: now,
              })),
              { schema },
            ),
          );
        });
      }
      return inserted;
    },
  };
}

/** One entry per cache key (model hash, modality, content hash): the last one given wins. */
export function distinctCacheEntries(entries: VectorCacheEntry[]): VectorCacheEntry[] {
  return [
    ...new Map(
      entries.map((e) => [`${e.modelHash}\u0000${e.modalityType ?? ""}\u0000${e.contentHash}`, e]),
    ).values(),
  ];
}
