import { pushRules } from "@aimo/db";

import { jsonText, RecordError, requiredText, timestamp } from "../values";
import { tableSpec } from "./types";

export const pushRulesSpec = tableSpec({
  legacyIdColumn: "id",
  target: pushRules,
  map(row) {
    const pushTime = Number(row.pushTime);
    if (!Number.isInteger(pushTime) || pushTime < 0 || pushTime > 23)
      throw new RecordError(`pushTime ${String(row.pushTime)} is not an hour`);
    const contentType = requiredText(row.contentType, "contentType");
    if (contentType !== "daily_pick" && contentType !== "daily_memos")
      throw new RecordError(`contentType "${contentType}" is unknown`);
    const channels = jsonText<unknown>(row.channels, "channels", []);
    if (!Array.isArray(channels)) throw new RecordError("channels is not a JSON array");
    return {
      row: {
        uid: String(row.uid),
        name: requiredText(row.name, "name", 128),
        pushTime,
        contentType,
        channels,
        enabled: Number(row.enabled) === 1,
        createdAt: timestamp(row.createdAt, "createdAt"),
        updatedAt: timestamp(row.updatedAt, "updatedAt"),
      },
    };
  },
});
