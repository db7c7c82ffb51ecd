import { attachments, STORAGE_TYPES } from "@aimo/db";

import { isOneOf, jsonText, RecordError, recoverMojibake, requiredText, text, timestamp } from "../values";
import { countRepair, tableSpec } from "./types";

export const attachmentsSpec = tableSpec({
  legacyIdColumn: "attachmentId",
  target: attachments,
  vectorTable: "attachments",
  map(row, { repairs }) {
    let filename = requiredText(row.filename, "filename", 512);
    const recovered = recoverMojibake(filename);
    if (recovered) {
      countRepair(repairs, "garbled file names recovered");
      filename = recovered;
    }
    const storageType = requiredText(row.storageType, "storageType");
    if (!isOneOf(STORAGE_TYPES, storageType))
      throw new RecordError(`storageType "${storageType}" is unknown`);
    const isPublicBucket = text(row.isPublicBucket);
    const vector = row.multimodalEmbedding instanceof Float32Array ? row.multimodalEmbedding : null;
    return {
      row: {
        uid: String(row.uid),
        filename,
        mimeType: requiredText(row.type, "type", 255),
        size: Number(row.size),
        storageType,
        path: requiredText(row.path, "path", 1024),
        bucket: text(row.bucket),
        prefix: text(row.prefix),
        endpoint: text(row.endpoint),
        region: text(row.region),
        isPublicBucket: isPublicBucket === null ? null : isPublicBucket === "true",
        multimodalModelHash: text(row.multimodalModelHash),
        properties: jsonText<Record<string, unknown>>(row.properties, "properties", {}),
        createdAt: timestamp(row.createdAt, "createdAt"),
      },
      ...(vector ? { vector: { uid: String(row.uid), vector } } : {}),
    };
  },
});
