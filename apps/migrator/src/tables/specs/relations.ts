import { memoRelations } from "@aimo/db";

import { memoOwners } from "../../target";
import { RecordError, timestamp } from "../values";
import { countRepair, tableSpec } from "./types";

export const memoRelationsSpec = tableSpec({
  legacyIdColumn: "relationId",
  target: memoRelations,
  collapseDuplicates: "duplicate links collapsed",
  ownersOf: (rows, handle) =>
    memoOwners(
      handle,
      rows.flatMap((row) => [String(row.sourceMemoId), String(row.targetMemoId)]),
    ),
  map(row, { repairs, owners }) {
    const source = String(row.sourceMemoId);
    const target = String(row.targetMemoId);
    if (source === target) throw new RecordError("a memo linking to itself");
    // The legacy app never checked that a link stays inside one user's memos; the new one refuses such links.
    if ([source, target].some((memoId) => (owners.get(memoId) ?? row.uid) !== row.uid)) {
      countRepair(repairs, "links to another user's memo dropped");
      return null;
    }
    return {
      row: {
        uid: String(row.uid),
        sourceMemoId: source,
        targetMemoId: target,
        createdAt: timestamp(row.createdAt, "createdAt"),
      },
    };
  },
});
