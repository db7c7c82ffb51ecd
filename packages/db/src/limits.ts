/** Limits of what the tables hold, shared by the schema, the API's input checks and the migrator. */

/** Category and tag names: VARCHAR(64), counted in characters. */
export const NAME_MAX = 64;

/**
 * What TIMESTAMP(3) holds, in epoch ms: 1970-01-01 00:00:01.000 to 2038-01-19 03:14:07.999 UTC (MariaDB also
 * takes the first second's milliseconds, MySQL 8 does not).
 */
export const TIMESTAMP_MS = { min: 1000, max: 2_147_483_647_999 } as const;

/** The most memo text the API accepts, in UTF-8 bytes. */
export const MEMO_CONTENT_MAX_BYTES = 1_048_576;

/** What memos.content (MEDIUMTEXT) holds, in bytes: legacy memos above the API's limit are kept up to this. */
export const MEDIUMTEXT_MAX_BYTES = 16_777_215;

/** A memo's source link: VARCHAR(2048). */
export const SOURCE_URL_MAX = 2048;
