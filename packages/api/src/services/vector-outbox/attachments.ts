import type { MultimodalEmbedder } from "@aimo/ai";
import { attachments, vectorJobs } from "@aimo/db";
import type { ObjectStorage } from "@aimo/storage";
import { eq, inArray } from "drizzle-orm";

import { imageDataUri, isEmbeddableImage } from "../attachments/images";
import type { OutboxDeps, VectorProcessor } from "./runner";

/** What attachment vector work needs; a subset of the tRPC context so the server's worker can build it too. */
export interface AttachmentVectorDeps extends OutboxDeps {
  multimodal: MultimodalEmbedder | null;
  storage: ObjectStorage;
}

/**
 * Attachment jobs: each image is embedded from its bytes (a base64 data URI) on its own, so one image a
 * provider refuses does not hold back the others; deletions go in one batch. A few per pass: images are heavy.
 */
export const attachmentJobs: VectorProcessor<AttachmentVectorDeps> = {
  target: "attachment",
  batchSize: 8,
  // Deletions always; embeddings only with a multimodal provider.
  doable: (deps) => (deps.multimodal ? undefined : eq(vectorJobs.op, "delete")),
  async process(deps, jobs, settle, signal) {
    const upsertIds = jobs.filter((j) => j.op === "upsert").map((j) => j.targetId);
    const rows = upsertIds.length
      ? await deps.db.select().from(attachments).where(inArray(attachments.id, upsertIds))
      : [];
    const { multimodal } = deps;
    const embeddable = new Map(multimodal ? rows.filter(isEmbeddableImage).map((r) => [r.id, r]) : []);
    // Deleted attachments, and those no provider can embed, must not keep a vector.
    const removals = jobs.filter((j) => !embeddable.has(j.targetId));
    await settle(removals, () => deps.vectors.attachments.delete(removals.map((j) => j.targetId)));
    for (const job of jobs) {
      const row = embeddable.get(job.targetId);
      if (!row || !multimodal) continue;
      await settle([job], async () => {
        const [vector] = await multimodal.embed([{ image: await imageDataUri(deps.storage, row) }], {
          signal,
        });
        await deps.vectors.attachments.upsert([{ id: row.id, uid: row.uid, vector: vector! }]);
      });
    }
  },
};
