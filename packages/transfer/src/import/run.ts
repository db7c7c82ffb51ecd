import type { ApiDeps } from "@aimo/api/server";
import type { ImportSkip } from "@aimo/db";

import type { ApplyResult } from "./apply";
import { PlanWriter } from "./apply";
import { planImport } from "./detect";
import type { ImportFormat } from "./plan";
import { beginSession, endSession } from "./session";
import type { ImportSource, SourceLimits } from "./source";
import { contentHash, ImportInputError, isZipFile, openSingleFileSource, openZipSource } from "./source";

export interface ImportReport {
  /** `GET /import/<sessionId>` shows its progress while it runs. */
  sessionId: string;
  format: ImportFormat;
  status: "done";
  /** Items in the file, and how many are finished (now all). */
  total: number;
  done: number;
  /** True when an earlier run of the same file had begun: what it finished was not written again. */
  resumed: boolean;
  alreadyDone: number;
  created: ApplyResult["created"];
  skipped: ImportSkip[];
}

/** Files an upload may hold; together they may unpack to `unpackedFactor` times the upload limit. */
const MAX_FILES = 100_000;
const UNPACKED_FACTOR = 8;

export const sourceLimits = (maxUploadBytes: number): SourceLimits => ({
  maxFiles: MAX_FILES,
  maxUnpackedBytes: maxUploadBytes * UNPACKED_FACTOR,
});

async function runImport(
  deps: ApiDeps,
  uid: string,
  source: ImportSource,
  hash: string,
): Promise<ImportReport> {
  // The whole upload is read and checked before anything is written: bad input leaves nothing behind.
  const plan = await planImport(source, deps.config.timezone);
  const total =
    plan.categories.length +
    plan.tags.length +
    plan.attachments.length +
    plan.memos.length +
    plan.conversations.length +
    plan.dailyPicks.length +
    plan.pushRules.length;
  const session = await beginSession(deps.db, uid, hash, plan.format, total);
  let result: ApplyResult;
  try {
    result = await new PlanWriter(deps, uid, plan, session, (file) => source.open(file)).run();
  } catch (error) {
    await endSession(deps.db, session.id, "failed", 0, []).catch(() => undefined);
    throw error;
  }
  await endSession(deps.db, session.id, "done", result.done, result.skipped);
  return {
    sessionId: session.id,
    format: plan.format,
    status: "done",
    total,
    done: result.done,
    resumed: session.resumed,
    alreadyDone: result.alreadyDone,
    created: result.created,
    skipped: result.skipped,
  };
}

/** Imports an uploaded file (a zip, or one Markdown, HTML or JSON file) sent under `filename`. */
export async function importUpload(
  deps: ApiDeps,
  uid: string,
  upload: { filePath: string; filename: string; maxUploadBytes: number },
): Promise<ImportReport> {
  const zip = await isZipFile(upload.filePath);
  if (!zip && /\.zip$/i.test(upload.filename))
    throw new ImportInputError(`Not a zip file: ${upload.filename}`);
  const source = zip
    ? await openZipSource(upload.filePath, sourceLimits(upload.maxUploadBytes))
    : await openSingleFileSource(upload.filePath, upload.filename);
  try {
    return await runImport(deps, uid, source, await contentHash(upload.filePath));
  } finally {
    await source.close();
  }
}
