import { dailyRecommendations } from "@aimo/db";

import { RecordError, requiredText, stringList, timestamp } from "../values";
import { tableSpec } from "./types";

export const dailyRecommendationsSpec = tableSpec({
  legacyIdColumn: "recommendationId",
  target: dailyRecommendations,
  collapseDuplicates: "duplicate daily picks collapsed",
  map(row) {
    const date = requiredText(row.date, "date");
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RecordError(`date "${date}" is not YYYY-MM-DD`);
    return {
      row: {
        uid: String(row.uid),
        date,
        memoIds: stringList(row.memoIds),
        createdAt: timestamp(row.createdAt, "createdAt"),
      },
    };
  },
});
