import { Field, FixedSizeList, Float32, Schema, TimestampMillisecond, Utf8 } from "apache-arrow";

/** Where a table's model and dimensions are recorded, so another model never mixes into it. */
export const MODEL_METADATA_KEY = "aimo.model";
export const DIMENSIONS_METADATA_KEY = "aimo.dimensions";

const vectorType = (dimensions: number) =>
  new FixedSizeList(dimensions, new Field("item", new Float32(), true));

export function entityVectorSchema(
  idColumn: string,
  vectorColumn: string,
  dimensions: number,
  model: string,
): Schema {
  return new Schema(
    [
      new Field(idColumn, new Utf8(), false),
      new Field("uid", new Utf8(), false),
      new Field(vectorColumn, vectorType(dimensions), false),
    ],
    new Map([
      [MODEL_METADATA_KEY, model],
      [DIMENSIONS_METADATA_KEY, String(dimensions)],
    ]),
  );
}

export function cacheSchema(dimensions: number, withModality: boolean): Schema {
  return new Schema([
    new Field("modelHash", new Utf8(), false),
    new Field("contentHash", new Utf8(), false),
    ...(withModality ? [new Field("modalityType", new Utf8(), false)] : []),
    new Field("embedding", vectorType(dimensions), false),
    new Field("createdAt", new TimestampMillisecond(), false),
  ]);
}

/** The list size of a FixedSizeList column, the one true source of a table's dimensions. */
export function columnDimensions(schema: Schema, column: string): number | undefined {
  // Duck-typed: the schema LanceDB hands back may come from another copy of the Arrow classes.
  const type = schema.fields.find((f) => f.name === column)?.type as { listSize?: unknown } | undefined;
  return typeof type?.listSize === "number" ? type.listSize : undefined;
}
