import { bigint, customType, index, int, mysqlTable } from "drizzle-orm/mysql-core";

/** Keys hold emails: compared byte for byte, so no two accounts share a counter by collation. */
const limitKey = customType<{ data: string }>({
  dataType() {
    return "varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";
  },
});

/**
 * Failed-login counters, in the layout of rate-limiter-flexible's MySQL store (`RateLimiterMySQL`), so that
 * every server process shares them. `expire` is epoch milliseconds; the limiter deletes expired rows.
 */
export const loginLimits = mysqlTable(
  "login_limits",
  {
    key: limitKey("key").primaryKey(),
    points: int("points").notNull().default(0),
    expire: bigint("expire", { mode: "number", unsigned: true }),
  },
  (t) => [index("login_limits_expire_idx").on(t.expire)],
);
