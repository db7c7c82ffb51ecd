import { buffer } from "node:stream/consumers";

import type { MultimodalEmbedder } from "@aimo/ai";
import type { Attachment, Database, VectorJob } from "@aimo/db";
import { attachments, vectorJobs } from "@aimo/db";
import type { ObjectStorage } from "@aimo/storage";
import type { VectorStore } from "@aimo/vectors";
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Logger } from "pino";

import { completeJobs, recordFailure } from "../vector-sync";

/** What attachment vector work needs; a subset of the tRPC context so the server's worker can build it too. */
export interface AttachmentVectorDeps {
  db: Database;
  vectors: VectorStore;
  multimodal: MultimodalEmbedder | null;
  storage: ObjectStorage;
  logger: Logger;
}

/** Larger images are left unembedded: providers refuse them and a data URI of them is too heavy to send. */
export const MAX_EMBEDDED_IMAGE_BYTES = 10 * 1024 * 1024;

/** An image gets a vector when a provider can read it: a known image type with readable dimensions. */
export const isEmbeddableImage = (row: {
  mimeType: string;
  size: number;
  properties: Record<string, unknown>;
}) =>
  row.mimeType.startsWith("image/") &&
  typeof row.properties.width === "number" &&
  row.size <= MAX_EMBEDDED_IMAGE_BYTES;

/** The image as a base64 data URI, the form multimodal providers accept without a public URL. */
export async function imageDataUri(
  storage: ObjectStorage,
  row: { path: string; mimeType: string },
): Promise<string> {
  const bytes = await buffer(await storage.read(row.path));
  return `data:${row.mimeType};base64,${bytes.toString("base64")}`;
}

/** Records a failure for a retry with backoff. Never throws. */
const failed = (deps: AttachmentVectorDeps, jobs: VectorJob[], error: unknown) =>
  recordFailure(deps, jobs, error).catch((e: unknown) =>
    deps.logger.error({ err: e }, "could not record vector failure"),
  );

/** Runs one unit of vector work and retires its jobs, or records the failure. Never throws. */
async function settle(
  deps: AttachmentVectorDeps,
  jobs: VectorJob[],
  work: () => Promise<void>,
): Promise<void> {
  if (jobs.length === 0) return;
  try {
    await work();
    await completeJobs(deps, jobs);
  } catch (error) {
    await failed(deps, jobs, error);
  }
}

/**
 * Applies attachment jobs: each image is embedded from its bytes (a base64 data URI) on its own, so one image a
 * provider refuses does not hold back the others; deletions go in one batch. Never throws.
 */
async function processAttachmentJobs(deps: AttachmentVectorDeps, jobs: VectorJob[]): Promise<void> {
  if (jobs.length === 0) return;
  const upsertIds = jobs.filter((j) => j.op === "upsert").map((j) => j.targetId);
  let rows: Attachment[];
  try {
    rows = upsertIds.length
      ? await deps.db.select().from(attachments).where(inArray(attachments.id, upsertIds))
      : [];
  } catch (error) {
    return failed(deps, jobs, error);
  }
  const { multimodal } = deps;
  const embeddable = new Map(multimodal ? rows.filter(isEmbeddableImage).map((r) => [r.id, r]) : []);
  // Deleted attachments, and those no provider can embed, must not keep a vector.
  const removals = jobs.filter((j) => !embeddable.has(j.targetId));
  await settle(deps, removals, () => deps.vectors.attachments.delete(removals.map((j) => j.targetId)));
  for (const job of jobs) {
    const row = embeddable.get(job.targetId);
    if (!row || !multimodal) continue;
    await settle(deps, [job], async () => {
      const [vector] = await multimodal.embed([{ image: await imageDataUri(deps.storage, row) }]);
      await deps.vectors.attachments.upsert([{ id: row.id, uid: row.uid, vector: vector! }]);
    });
  }
}

/** Jobs this process can do: deletions always, embeddings only with a multimodal provider. */
const doable = (deps: AttachmentVectorDeps) =>
  deps.multimodal
    ? eq(vectorJobs.target, "attachment")
    : and(eq(vectorJobs.target, "attachment"), eq(vectorJobs.op, "delete"));

/** Applies recorded work for these attachments now, after their MySQL transaction committed. Never throws. */
export async function applyAttachmentVectorWork(
  deps: AttachmentVectorDeps,
  attachmentIds: string[],
): Promise<void> {
  if (attachmentIds.length === 0) return;
  try {
    const jobs = await deps.db
      .select()
      .from(vectorJobs)
      .where(and(doable(deps), inArray(vectorJobs.targetId, attachmentIds)));
    await processAttachmentJobs(deps, jobs);
  } catch (error) {
    deps.logger.warn({ err: error }, "attachment vector work deferred to the worker");
  }
}

/** One pass of the worker over due attachment jobs, oldest first, a few at a time (images are heavy). */
export async function runDueAttachmentVectorWork(deps: AttachmentVectorDeps, batchSize = 8): Promise<number> {
  const jobs = await deps.db
    .select()
    .from(vectorJobs)
    .where(and(doable(deps), lte(vectorJobs.runAfter, sql`NOW(3)`)))
    .orderBy(asc(vectorJobs.runAfter))
    .limit(batchSize);
  await processAttachmentJobs(deps, jobs);
  return jobs.length;
}
