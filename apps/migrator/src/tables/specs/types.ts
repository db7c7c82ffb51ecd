import type { DbHandle } from "@aimo/db";
import type { MySqlTable } from "drizzle-orm/mysql-core";

import type { BulkWrite } from "../../bulk-insert";
import type { LegacyRow } from "../../legacy/reader";
import type { MappingContext } from "../context";

export type Repairs = Map<string, number>;
export const countRepair = (repairs: Repairs, name: string, by = 1) =>
  repairs.set(name, (repairs.get(name) ?? 0) + by);

export interface MappedRecord {
  id: string;
  /** The MySQL row. */
  row: Record<string, unknown>;
  /**
   * Rows of other tables written in the same transaction (a memo's tags); built only for records that are
   * written.
   */
  children?: () => BulkWrite[];
  /** The vector that goes to LanceDB with the record. */
  vector?: { uid: string; vector: Float32Array };
  /** The text that goes to LanceDB's keyword index with the record (memos). */
  keywordText?: string;
}

export interface TableSpec {
  name: string;
  legacyIdColumn: string;
  target: MySqlTable;
  /**
   * Null when the record is folded into another one or dropped (a repair, counted in `repairs`).
   * `owners` maps the target ids a batch refers to onto their owners (see `ownersOf`).
   */
  map(
    row: LegacyRow,
    ctx: MappingContext,
    repairs: Repairs,
    owners: Map<string, string>,
  ): MappedRecord | null;
  /** Fetches, once per batch, the owners of target rows the batch refers to. */
  ownersOf?: (rows: LegacyRow[], handle: DbHandle) => Promise<Map<string, string>>;
  /** Which vector table the records' vectors go to. */
  vectorTable?: "memos" | "attachments";
  /** A duplicate key on insert means "already there under another id": collapsed, not failed. */
  collapseDuplicates?: string;
}
