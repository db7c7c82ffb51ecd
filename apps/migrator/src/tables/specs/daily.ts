import { dailyRecommendations } from "@aimo/db";

import { RecordError, requiredText, stringList, timestamp } from "../values";
import type { TableSpec } from "./types";

export const dailyRecommendationsSpec: TableSpec = {
  name: "daily_recommendations",
  legacyIdColumn: "recommendationId",
  target: dailyRecommendations,
  collapseDuplicates: "duplicate daily picks collapsed",
  map(row) {
    const id = String(row.recommendationId);
    const date = requiredText(row.date, "date");
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RecordError(`date "${date}" is not YYYY-MM-DD`);
    return {
      id,
      row: {
        id,
        uid: String(row.uid),
        date,
        memoIds: stringList(row.memoIds),
        createdAt: timestamp(row.createdAt, "createdAt"),
      },
    };
  },
};
