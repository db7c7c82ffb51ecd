import { bigint, boolean, index, json, mysqlTable, varchar } from "drizzle-orm/mysql-core";

import { createdAt, id } from "./columns";
import { users } from "./users";

export const STORAGE_TYPES = ["local", "s3", "oss"] as const;
export type StorageType = (typeof STORAGE_TYPES)[number];

/** Images: { width, height }; audio/video: { duration }; video: { coverUrl }. */
export type AttachmentProperties = Record<string, unknown>;

export const attachments = mysqlTable(
  "attachments",
  {
    id: id("id").primaryKey(),
    uid: id("uid")
      .notNull()
      .references(() => users.uid, { onDelete: "cascade" }),
    filename: varchar("filename", { length: 512 }).notNull(),
    mimeType: varchar("mime_type", { length: 255 }).notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    storageType: varchar("storage_type", { length: 16, enum: STORAGE_TYPES }).notNull(),
    /** Key relative to the storage root: `<uid>/<YYYY-MM-DD>/<id>.<ext>`. */
    path: varchar("path", { length: 1024 }).notNull(),
    bucket: varchar("bucket", { length: 255 }),
    prefix: varchar("prefix", { length: 255 }),
    endpoint: varchar("endpoint", { length: 512 }),
    region: varchar("region", { length: 64 }),
    isPublicBucket: boolean("is_public_bucket"),
    multimodalModelHash: varchar("multimodal_model_hash", { length: 64 }),
    properties: json("properties").$type<AttachmentProperties>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("uid_idx").on(t.uid), index("attachments_uid_created_at_idx").on(t.uid, t.createdAt)],
);
