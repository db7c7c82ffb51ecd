export type * from "./types";
export type { KeyedRow, KeyedTable } from "./keyed-table";
export { vectorsEnvSchema, vectorStoreConfigFromEnv } from "./env";
export type { VectorStoreConfig, VectorsEnv } from "./env";
export { openVectorStore, VectorModelMismatchError } from "./store";
export { TABLE_NAMES } from "./table-names";
export { MAX_VECTOR_INDEX_PARTS, VECTOR_INDEX_MIN_ROWS } from "./maintain";
export { memoTermsOf } from "./keyword-terms";
export { cacheKeyOf } from "./vector-cache";
