import { int, mysqlTable, varchar } from "drizzle-orm/mysql-core";

import { createdAt, id, updatedAt } from "./columns";

/** The `status` of an account that may log in and use its tokens; anything else is disabled. */
export const ACTIVE_USER_STATUS = 1;

export const users = mysqlTable("users", {
  uid: id("uid").primaryKey(),
  email: varchar("email", { length: 191 }).unique("users_email_unique"),
  phone: varchar("phone", { length: 32 }).unique("users_phone_unique"),
  /** A full KDF hash string (argon2id for new accounts, bcrypt for migrated ones); the salt is inside it. */
  passwordHash: varchar("password_hash", { length: 255 }).notNull(),
  nickname: varchar("nickname", { length: 64 }),
  /** A storage path relative to the attachment root, never a URL. */
  avatar: varchar("avatar", { length: 1024 }),
  status: int("status").notNull().default(ACTIVE_USER_STATUS),
  /** Access tokens carry the version they were signed at; bumping it ends every session of the account. */
  tokenVersion: int("token_version").notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
