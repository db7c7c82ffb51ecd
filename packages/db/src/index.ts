export * from "./schema";
export { createDb, ensureDatabase } from "./client";
export type { Database, DbHandle, Executor, Schema } from "./client";
export { mysqlConfigFromEnv, mysqlEnvSchema } from "./config";
export type { MysqlConfig } from "./config";
export { isMysqlUnavailable, mysqlError, mysqlErrorCode } from "./errors";
export { MysqlTimeoutError } from "./timed-pool";
export type { MysqlDriverError } from "./errors";
export { createId, ID_PREFIXES } from "./id";
export {
  MEDIUMTEXT_MAX_BYTES,
  MEMO_CONTENT_MAX_BYTES,
  NAME_MAX,
  SOURCE_URL_MAX,
  TIMESTAMP_MS,
} from "./limits";
export type { IdKind } from "./id";
export { MEMOS_BY_PRIMARY_KEY, memoTagsOf, newestMemoRows, selectMemoRows } from "./memo-reader";
export type { MemoRowsQuery, MemoWithTagsRow } from "./memo-reader";
export { memoTagRows, recountTagsSql } from "./memo-rows";
export { migrate, migrationsFolder } from "./migrate";
export { nowPlus } from "./db-clock";
export { withTransaction } from "./transaction";
export type { Transaction } from "./transaction";
export type * from "./types";
export { verifyIndexes, CRITICAL_QUERIES } from "./verify-indexes";
export type { IndexCheck } from "./verify-indexes";
