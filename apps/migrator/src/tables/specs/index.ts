import { attachmentsSpec } from "./attachments";
import { aiConversationsSpec, aiMessagesSpec } from "./conversations";
import { dailyRecommendationsSpec } from "./daily";
import { memosSpec } from "./memos";
import { categoriesSpec, tagsSpec } from "./named";
import { pushRulesSpec } from "./push";
import { memoRelationsSpec } from "./relations";
import type { TableSpec } from "./types";
import { usersSpec } from "./users";

export type { MappedRecord, Repairs, TableSpec } from "./types";
export { countRepair } from "./types";

/** One spec per table, in the order they are migrated (memo_relations reads the owners of memos already in). */
export const TABLE_SPECS: TableSpec[] = [
  usersSpec,
  categoriesSpec,
  tagsSpec,
  memosSpec,
  memoRelationsSpec,
  attachmentsSpec,
  aiConversationsSpec,
  aiMessagesSpec,
  dailyRecommendationsSpec,
  pushRulesSpec,
];
