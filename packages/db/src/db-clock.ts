import { sql } from "drizzle-orm";

/**
 * `NOW(3)` moved by `ms` (negative: earlier), on the database clock: processes with skewed clocks agree on
 * leases, retries and staleness.
 */
export const nowPlus = (ms: number) => sql`NOW(3) + INTERVAL ${ms * 1000} MICROSECOND`;
