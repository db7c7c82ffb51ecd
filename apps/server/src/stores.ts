import type { Embedder, MultimodalEmbedder } from "@aimo/ai";
import {
  createEmbedderFromEnv,
  createMultimodalEmbedderFromEnv,
  embeddingModelName,
  multimodalModelName,
} from "@aimo/ai";
import type { DbHandle } from "@aimo/db";
import { createDb, migrate, mysqlConfigFromEnv } from "@aimo/db";
import type { VectorStore } from "@aimo/vectors";
import { openVectorStore, vectorStoreConfigFromEnv } from "@aimo/vectors";
import type { Logger } from "pino";

import type { ServerEnv } from "./env";
import { lancedbStartupError, mysqlStartupError } from "./startup-error";

export interface Stores {
  dbHandle: DbHandle;
  vectors: VectorStore;
  embedder: Embedder;
  multimodal: MultimodalEmbedder | null;
  /** MySQL first, then LanceDB. */
  close(): Promise<void>;
}

/** MySQL pool -> migrate -> LanceDB -> providers; what the server and its commands share. */
export async function openStores(env: ServerEnv, logger: Logger): Promise<Stores> {
  const mysqlConfig = mysqlConfigFromEnv(env);
  const mysqlFailure = (error: unknown) => mysqlStartupError(error, mysqlConfig) ?? error;
  const dbHandle = await createDb(mysqlConfig).catch((error: unknown) => {
    throw mysqlFailure(error);
  });
  const vectorConfig = vectorStoreConfigFromEnv(env, {
    embeddingModel: embeddingModelName(env),
    embeddingDimensions: env.EMBEDDING_DIMENSIONS,
    multimodalModel: multimodalModelName(env),
    multimodalDimensions: env.MULTIMODAL_EMBEDDING_DIMENSIONS,
  });
  let vectors: VectorStore;
  try {
    await migrate(dbHandle).catch((error: unknown) => {
      throw mysqlFailure(error);
    });
    logger.info({ database: dbHandle.config.database }, "mysql ready");
    vectors = await openVectorStore(vectorConfig).catch((error: unknown) => {
      throw lancedbStartupError(error, vectorConfig.uri);
    });
  } catch (error) {
    await dbHandle.close();
    throw error;
  }
  logger.info({ uri: env.LANCEDB_URI }, "lancedb ready");
  const embedder = createEmbedderFromEnv(env, vectors.embeddingCache);
  const multimodal = createMultimodalEmbedderFromEnv(env, vectors.multimodalCache);
  logger.info(
    { model: embedder.model, dimensions: embedder.dimensions, multimodal: multimodal?.model ?? null },
    "embedders ready",
  );
  return {
    dbHandle,
    vectors,
    embedder,
    multimodal,
    async close() {
      await dbHandle.close();
      logger.info("mysql closed");
      await vectors.close();
      logger.info("lancedb closed");
    },
  };
}
