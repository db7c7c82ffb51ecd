import type { DbHandle } from "@aimo/db";
import { getTableColumns, getTableName } from "drizzle-orm";
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
  /** The legacy table's name, which the target table shares. */
  name: string;
  legacyIdColumn: string;
  target: MySqlTable;
  /** The key of the target's primary key in its rows (`id`, or `uid` for users). */
  idKey: string;
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

/** What a table's mapping has at hand for one legacy row: its id (from the spec's legacy id column) and lookups. */
export interface MapInput {
  id: string;
  ctx: MappingContext;
  repairs: Repairs;
  owners: Map<string, string>;
}

/** A mapped record without its id, which `tableSpec` adds to it and to its row. */
export type MappedFields = Omit<MappedRecord, "id">;

/** What a spec says about its table; `tableSpec` adds the rest. */
export interface SpecDefinition extends Pick<TableSpec, "ownersOf" | "vectorTable" | "collapseDuplicates"> {
  /** The target table; the legacy table has the same name. */
  target: MySqlTable;
  legacyIdColumn: string;
  /** Null when the record is folded into another one or dropped (a repair, counted in `repairs`). */
  map: (row: LegacyRow, input: MapInput) => MappedFields | null;
}

/**
 * A table's spec, named after its target table, with the legacy row's id read from `legacyIdColumn` once and
 * written to the target's primary key, so a mapping only maps fields.
 */
export function tableSpec({ target, legacyIdColumn, map, ...options }: SpecDefinition): TableSpec {
  const idKey = Object.entries(getTableColumns(target)).find(([, column]) => column.primary)?.[0];
  if (!idKey) throw new Error(`${getTableName(target)} has no single-column primary key`);
  return {
    name: getTableName(target),
    legacyIdColumn,
    target,
    idKey,
    ...options,
    map(row, ctx, repairs, owners) {
      const id = String(row[legacyIdColumn]);
      const mapped = map(row, { id, ctx, repairs, owners });
      return mapped && { ...mapped, id, row: { [idKey]: id, ...mapped.row } };
    },
  };
}
