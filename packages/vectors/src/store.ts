import type { Connection, Table } from "@lancedb/lancedb";
import { connect, Session } from "@lancedb/lancedb";
import type { Schema } from "apache-arrow";

import { createCircuit, guarded } from "./circuit";
import type { VectorStoreConfig } from "./env";
import { vectorsEnvSchema } from "./env";
import { createNativeGarbageCollector } from "./native-garbage";
import { createRenewableTables } from "./renewable";
import { createVersionClock } from "./version-clock";
import { warmVectorIndex } from "./warm";
import { recentSchemaOf } from "./tiers";
import { createKeywordIndex, ensureKeywordIndex, keywordSchema, recentKeywordSchema } from "./keyword-index";
import type { MaintainedTable } from "./maintain";
import { maintainTables, maintenanceDue, writesCallForMaintenance } from "./maintain";
import {
  cacheSchema,
  columnDimensions,
  DIMENSIONS_METADATA_KEY,
  entityVectorSchema,
  MODEL_METADATA_KEY,
} from "./schemas";
import type { TableWrites } from "./serial";
import { createSerialQueue } from "./serial";
import { createVectorCache } from "./vector-cache";
import { createTieredVectorTable, createVectorTable } from "./vector-table";
import { TABLE_NAMES } from "./table-names";
import type { VectorStore } from "./types";

export class VectorModelMismatchError extends Error {
  constructor(table: string, found: string, wanted: string, uri: string) {
    super(
      `LanceDB table ${table} at ${uri} was built with ${found}, but the server is configured for ${wanted}. ` +
        `Vectors of different models cannot be mixed. To re-embed: stop the server, move ${table}.lance out of ` +
        `${uri}, start the server with the new settings and run \`pnpm vectors:reconcile\`, which re-creates ` +
        `every missing vector. Or set the configuration back to ${found}.`,
    );
    this.name = "VectorModelMismatchError";
  }
}

interface TableSpec {
  name: string;
  schema: Schema;
  vectorColumn: string;
  dimensions: number;
  /** Checked for entity tables; caches are keyed by model hash, so only their dimensions must agree. */
  model?: string;
}

/**
 * Opens a table, creating it when absent (two processes creating it at once both end with the same table).
 * A table built for another model or dimensions is refused, unless it is empty: then it is rebuilt.
 */
async function openChecked(db: Connection, spec: TableSpec, uri: string): Promise<Table> {
  const names = await db.tableNames();
  if (!names.includes(spec.name))
    return db.createEmptyTable(spec.name, spec.schema, { mode: "create", existOk: true });
  const table = await db.openTable(spec.name);
  try {
    await checkModel(table, spec, uri);
    return table;
  } catch (error) {
    if (!(error instanceof VectorModelMismatchError) || (await table.countRows()) > 0) {
      table.close();
      throw error;
    }
    table.close();
    return db.createEmptyTable(spec.name, spec.schema, { mode: "overwrite" });
  }
}

async function checkModel(table: Table, spec: TableSpec, uri: string): Promise<void> {
  const { name, vectorColumn, dimensions, model } = spec;
  const schema = await table.schema();
  const foundDimensions = columnDimensions(schema, vectorColumn);
  const foundModel = schema.metadata.get(MODEL_METADATA_KEY);
  const describe = (m: string | undefined, d: number | undefined) =>
    `${m ? `model "${m}", ` : ""}${d ?? "unknown"} dimensions`;
  if (
    foundDimensions !== dimensions ||
    (model !== undefined && foundModel !== undefined && foundModel !== model)
  ) {
    throw new VectorModelMismatchError(
      name,
      describe(foundModel, foundDimensions),
      describe(model, dimensions),
      uri,
    );
  }
  if (Number(schema.metadata.get(DIMENSIONS_METADATA_KEY) ?? dimensions) !== dimensions) {
    throw new VectorModelMismatchError(
      name,
      describe(foundModel, foundDimensions),
      describe(model, dimensions),
      uri,
    );
  }
}

/**
 * A LanceDB connection, renewed after each maintenance (see renewable.ts); reads see writes made by other
 * processes (migrator, a second server).
 */
export async function openVectorStore(config: VectorStoreConfig): Promise<VectorStore> {
  const cacheDefaults = vectorsEnvSchema.parse({});
  const mb = (n: number) => BigInt(n) * 1_048_576n;
  const indexCacheMb = config.indexCacheMb ?? cacheDefaults.LANCEDB_INDEX_CACHE_MB;
  const connectToStore = () =>
    connect(
      config.uri,
      {
        readConsistencyInterval: 0,
        ...(config.apiKey ? { apiKey: config.apiKey } : {}),
        ...(config.region ? { region: config.region } : {}),
        ...(config.storageOptions ? { storageOptions: config.storageOptions } : {}),
      },
      new Session(mb(indexCacheMb), mb(config.metadataCacheMb ?? cacheDefaults.LANCEDB_METADATA_CACHE_MB)),
    );
  const db = await connectToStore();
  try {
    const memoSchema = entityVectorSchema(
      "memoId",
      "embedding",
      config.embeddingDimensions,
      config.embeddingModel,
    );
    const attachmentSchema = entityVectorSchema(
      "attachmentId",
      "multimodalEmbedding",
      config.multimodalDimensions,
      config.multimodalModel,
    );
    const textCacheSchema = cacheSchema(config.embeddingDimensions, false);
    const multimodalCacheSchema = cacheSchema(config.multimodalDimensions, true);

    const openedMemos = await openChecked(
      db,
      {
        name: TABLE_NAMES.memos,
        schema: memoSchema,
        vectorColumn: "embedding",
        dimensions: config.embeddingDimensions,
        model: config.embeddingModel,
      },
      config.uri,
    );
    const openedRecentMemos = await openChecked(
      db,
      {
        name: TABLE_NAMES.memosRecent,
        schema: recentSchemaOf(memoSchema),
        vectorColumn: "embedding",
        dimensions: config.embeddingDimensions,
        model: config.embeddingModel,
      },
      config.uri,
    );
    const openedTexts = await db.createEmptyTable(TABLE_NAMES.memoTexts, keywordSchema, {
      mode: "create",
      existOk: true,
    });
    await ensureKeywordIndex(openedTexts);
    const openedRecentTexts = await db.createEmptyTable(TABLE_NAMES.memoTextsRecent, recentKeywordSchema, {
      mode: "create",
      existOk: true,
    });
    await ensureKeywordIndex(openedRecentTexts);
    const openedAttachments = await openChecked(
      db,
      {
        name: TABLE_NAMES.attachments,
        schema: attachmentSchema,
        vectorColumn: "multimodalEmbedding",
        dimensions: config.multimodalDimensions,
        model: config.multimodalModel,
      },
      config.uri,
    );
    const openedTextCache = await openChecked(
      db,
      {
        name: TABLE_NAMES.embeddingCache,
        schema: textCacheSchema,
        vectorColumn: "embedding",
        dimensions: config.embeddingDimensions,
      },
      config.uri,
    );
    const openedMultimodalCache = await openChecked(
      db,
      {
        name: TABLE_NAMES.multimodalCache,
        schema: multimodalCacheSchema,
        vectorColumn: "embedding",
        dimensions: config.multimodalDimensions,
      },
      config.uri,
    );

    let vectorSearched = false;
    const renewable = createRenewableTables(
      {
        db,
        tables: {
          [TABLE_NAMES.memos]: openedMemos,
          [TABLE_NAMES.memosRecent]: openedRecentMemos,
          [TABLE_NAMES.memoTexts]: openedTexts,
          [TABLE_NAMES.memoTextsRecent]: openedRecentTexts,
          [TABLE_NAMES.attachments]: openedAttachments,
          [TABLE_NAMES.embeddingCache]: openedTextCache,
          [TABLE_NAMES.multimodalCache]: openedMultimodalCache,
        },
      },
      connectToStore,
      // Only while memo vectors are searched: a server that only takes writes keeps no index in memory.
      async (fresh) => {
        if (!vectorSearched) return;
        vectorSearched = false;
        await warmVectorIndex(
          fresh[TABLE_NAMES.memos],
          { column: "embedding", bytesPerRow: config.embeddingDimensions * 4 },
          indexCacheMb * 1_048_576,
        );
      },
    );
    const {
      [TABLE_NAMES.memos]: memoTable,
      [TABLE_NAMES.memosRecent]: recentMemoTable,
      [TABLE_NAMES.memoTexts]: textTable,
      [TABLE_NAMES.memoTextsRecent]: recentTextTable,
      [TABLE_NAMES.attachments]: attachmentTable,
      [TABLE_NAMES.embeddingCache]: textCache,
      [TABLE_NAMES.multimodalCache]: multimodalCache,
    } = renewable.tables;

    const nativeGarbage = createNativeGarbageCollector(
      config.collectEveryCommits ?? cacheDefaults.LANCEDB_COLLECT_EVERY_COMMITS,
    );
    let closed = false;
    let writes = 0;
    let lastWriteAt = 0;
    const writesOf = (): TableWrites => ({
      queue: createSerialQueue(),
      clock: createVersionClock(),
      onCommit: () => {
        writes++;
        lastWriteAt = Date.now();
        nativeGarbage.afterCommit();
      },
    });
    /** Each table's writes and the state its maintenance keeps. */
    const upkeepOf = () => ({ writes: writesOf(), vectorBuilds: { endedAt: 0, tookMs: 0 } });
    const tables = {
      memos: {
        name: TABLE_NAMES.memos,
        table: memoTable,
        vectorColumn: "embedding",
        keyColumns: ["uid", "memoId"],
        ...upkeepOf(),
      },
      // No vector column: it is folded into memo_vectors long before it could need an index.
      memosRecent: {
        name: TABLE_NAMES.memosRecent,
        table: recentMemoTable,
        keyColumns: ["uid", "memoId"],
        ...upkeepOf(),
      },
      memoTexts: {
        name: TABLE_NAMES.memoTexts,
        table: textTable,
        keyColumns: ["uid", "memoId"],
        ...upkeepOf(),
      },
      memoTextsRecent: {
        name: TABLE_NAMES.memoTextsRecent,
        table: recentTextTable,
        keyColumns: ["uid", "memoId"],
        ...upkeepOf(),
      },
      attachments: {
        name: TABLE_NAMES.attachments,
        table: attachmentTable,
        vectorColumn: "multimodalEmbedding",
        keyColumns: ["uid", "attachmentId"],
        ...upkeepOf(),
      },
      embeddingCache: {
        name: TABLE_NAMES.embeddingCache,
        table: textCache,
        keyColumns: ["contentHash"],
        ...upkeepOf(),
      },
      multimodalCache: {
        name: TABLE_NAMES.multimodalCache,
        table: multimodalCache,
        keyColumns: ["contentHash"],
        ...upkeepOf(),
      },
    };
    const maintained: MaintainedTable[] = Object.values(tables);
    const circuit = createCircuit(config.circuitCooldownMs);
    const keyedMethods = ["upsert", "add", "delete", "deleteByUser", "count", "search"] as const;
    const memoVectors = createTieredVectorTable(
      tables.memos,
      tables.memosRecent,
      memoSchema,
      { id: "memoId", vector: "embedding" },
      config.embeddingDimensions,
    );
    const keywordIndex = createKeywordIndex(tables.memoTexts, tables.memoTextsRecent);
    return {
      circuit,
      memos: guarded(
        circuit,
        {
          ...memoVectors,
          search(...args) {
            vectorSearched = true;
            return memoVectors.search(...args);
          },
        },
        [...keyedMethods, "get"],
      ),
      memoTexts: guarded(circuit, keywordIndex, [...keyedMethods]),
      attachments: guarded(
        circuit,
        createVectorTable(
          attachmentTable,
          attachmentSchema,
          { id: "attachmentId", vector: "multimodalEmbedding" },
          config.multimodalDimensions,
          tables.attachments.writes,
        ),
        [...keyedMethods, "get"],
      ),
      embeddingCache: guarded(
        circuit,
        createVectorCache(
          textCache,
          textCacheSchema,
          config.embeddingDimensions,
          false,
          tables.embeddingCache.writes,
        ),
        ["getMany", "putMany"],
      ),
      multimodalCache: guarded(
        circuit,
        createVectorCache(
          multimodalCache,
          multimodalCacheSchema,
          config.multimodalDimensions,
          true,
          tables.multimodalCache.writes,
        ),
        ["getMany", "putMany"],
      ),
      async maintain({ only, consolidate } = {}) {
        writes = 0;
        for (const [name, tiered] of [
          [TABLE_NAMES.memos, memoVectors],
          [TABLE_NAMES.memoTexts, keywordIndex],
        ] as const)
          if (!only || only.includes(name)) await tiered.fold(consolidate === true);
        const report = await maintainTables(
          only ? maintained.filter((t) => only.includes(t.name)) : maintained,
          config.versionRetentionMinutes * 60_000,
          consolidate,
        );
        await renewable.renew();
        nativeGarbage.afterRenewal();
        return report;
      },
      maintenanceDue: async (options) =>
        (await maintenanceDue(maintained, writes, options?.consolidate)) ||
        (await memoVectors.foldDue(options?.consolidate === true)) ||
        keywordIndex.foldDue(options?.consolidate === true),
      writesCallForMaintenance: (atPause) => writesCallForMaintenance(writes, atPause),
      lastWriteAt: () => lastWriteAt,
      // Reads the newest manifest of a table: listing table names succeeds even where the tables are gone.
      ping: () => circuit.run(() => textTable.version()).then(() => undefined),
      async close() {
        if (closed) return;
        closed = true;
        renewable.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
