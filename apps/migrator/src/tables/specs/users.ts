import { users } from "@aimo/db";

import { email, identifier, requiredText, text, timestamp } from "../values";
import { countRepair, tableSpec } from "./types";

export const usersSpec = tableSpec({
  legacyIdColumn: "uid",
  target: users,
  map(row, { id: uid, ctx, repairs }) {
    // An email or phone an older account holds would break the unique index: this account goes without.
    const clear = (value: string | null, duplicates: Set<string>, repair: string) => {
      if (value === null || !duplicates.has(uid)) return value;
      countRepair(repairs, repair);
      return null;
    };
    return {
      row: {
        email: clear(email(row.email), ctx.duplicateEmails, "emails held by an older account cleared"),
        phone: clear(identifier(row.phone), ctx.duplicatePhones, "phones held by an older account cleared"),
        passwordHash: requiredText(row.password, "password", 255),
        nickname: text(row.nickname),
        avatar: text(row.avatar),
        status: Number(row.status ?? 1),
        createdAt: timestamp(row.createdAt, "createdAt"),
        updatedAt: timestamp(row.updatedAt, "updatedAt"),
      },
    };
  },
});
