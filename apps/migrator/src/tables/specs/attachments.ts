import { attachments, STORAGE_TYPES } from "@aimo/db";

import { isOneOf, jsonText, RecordError, recoverMojibake, requiredText, text, timestamp } from "../values";
import type { TableSpec } from "./types";
import { countRepair } from "./types";

export const attachmentsSpec: TableSpec = {
  name: "attachments",
  legacyIdColumn: "attachmentId",
  target: attachments,
  vectorTable: "attachments",
  map(row, _ctx, repairs) {
    const id = String(row.attachmentId);
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
      id,
      row: {
        id,
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
};
