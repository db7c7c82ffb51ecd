import { sql } from "drizzle-orm";
import { customType, timestamp } from "drizzle-orm/mysql-core";

/**
 * Application-generated ids. Binary collation: legacy attachment ids differ only by case.
 */
export const id = customType<{ data: string; driverData: string }>({
  dataType() {
    return "varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";
  },
});

/** Millisecond UTC timestamps; sessions run with time_zone = '+00:00'. */
export const createdAt = () =>
  timestamp("created_at", { mode: "date", fsp: 3 })
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`);
export const updatedAt = () =>
  timestamp("updated_at", { mode: "date", fsp: 3 })
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`)
    .$onUpdate(() => new Date());

/** MEDIUMTEXT (16 MiB): legacy memos exceed TEXT's 64 KiB. */
export const mediumText = customType<{ data: string }>({
  dataType() {
    return "mediumtext";
  },
});
