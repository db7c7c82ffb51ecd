import type { DataType, FixedSizeList, Schema } from "apache-arrow";
import {
  Float32,
  makeData,
  RecordBatch,
  Struct,
  Table,
  TimestampMillisecond,
  Utf8,
  vectorFromArray,
} from "apache-arrow";

/** A column's values for `arrowTable`: strings, epoch-ms numbers, or equal-length Float32 vectors. */
export type ColumnValues = string[] | number[] | Float32Array[];

/**
 * Builds the Arrow table LanceDB writes, column by column: each vector column is one Float32Array of all
 * rows' values under a FixedSizeList, never a JS array per row. `makeArrowTable` over row objects copied every
 * float into a boxed number (1,000 x 1,536 of them per migrator batch), which dominated the migration's CPU
 * and memory.
 */
export function arrowTable(schema: Schema, columns: Record<string, ColumnValues>, length: number): Table {
  const children = schema.fields.map((field) => {
    const values = columns[field.name];
    if (!values) throw new Error(`no values for column ${field.name}`);
    if (values.length !== length)
      throw new Error(`column ${field.name} has ${values.length} values, not ${length}`);
    return columnData(field.type as DataType, values);
  });
  const data = makeData({ type: new Struct(schema.fields), length, nullCount: 0, children });
  return new Table([new RecordBatch(schema, data)]);
}

function columnData(type: DataType, values: ColumnValues) {
  if (type instanceof Utf8) return vectorFromArray(values as string[], new Utf8()).data[0]!;
  if (type instanceof TimestampMillisecond)
    return vectorFromArray(values as number[], new TimestampMillisecond()).data[0]!;
  const listSize = (type as { listSize?: number }).listSize;
  if (typeof listSize !== "number")
    throw new Error(`unsupported type of a column with ${values.length} values`);
  const listType = type as FixedSizeList;
  const vectors = values as Float32Array[];
  const flat = new Float32Array(vectors.length * listSize);
  vectors.forEach((vector, i) => flat.set(vector, i * listSize));
  const child = makeData({ type: new Float32(), length: flat.length, nullCount: 0, data: flat });
  return makeData({ type: listType, length: vectors.length, nullCount: 0, child });
}
