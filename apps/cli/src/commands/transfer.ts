import { stat } from "node:fs/promises";
import { basename, extname } from "node:path";

import { formatBytes } from "@aimo/progress";

import { UsageError } from "../errors";
import type { Answer } from "../output";
import { createProgress } from "../progress";
import type { Session } from "../session";
import { downloadExport, uploadImport, zipFolder } from "../transfer";

export async function exportAll(
  session: Session,
  target: string | undefined,
  quiet: boolean,
): Promise<Answer> {
  const progress = createProgress("Exporting", { unit: formatBytes, quiet });
  const { file, bytes } = await downloadExport(session, target, progress);
  return { json: { file, bytes }, text: `Exported everything to ${file} (${formatBytes(bytes)}).` };
}

/** The formats `--format` names, as the server's report calls them. */
export const IMPORT_FORMATS = {
  aimo: "aimo",
  markdown: "markdown",
  memos: "usememos",
  flomo: "flomo",
} as const;
export type ImportFormatName = keyof typeof IMPORT_FORMATS;

/** The files each format comes as (a folder is always packed as a zip); the server reads the format from content. */
const EXTENSIONS: Record<ImportFormatName, string[]> = {
  aimo: [".zip"],
  markdown: [".zip", ".md", ".markdown"],
  memos: [".zip", ".json"],
  flomo: [".zip", ".html", ".htm"],
};

interface ImportReport {
  sessionId: string;
  format: string;
  total: number;
  done: number;
  resumed: boolean;
  alreadyDone: number;
  created: Record<string, number>;
  skipped: { item: string; reason: string }[];
}

function describeReport(report: ImportReport): string {
  const created = Object.entries(report.created)
    .filter(([, n]) => n > 0)
    .map(([what, n]) => `${n} ${what}`)
    .join(", ");
  const lines = [
    `Imported ${report.format}: ${created || "nothing new"}` +
      (report.resumed ? ` (resumed; ${report.alreadyDone} done before)` : "") +
      ".",
  ];
  for (const skip of report.skipped.slice(0, 20)) lines.push(`  skipped ${skip.item}: ${skip.reason}`);
  if (report.skipped.length > 20) lines.push(`  … and ${report.skipped.length - 20} more skipped`);
  return lines.join("\n");
}

/**
 * Uploads a file, or a folder packed as a zip, to `POST /import` and prints the report. An import is resumable on
 * the server: running it again after a cut-off finishes it, and a finished one writes nothing new.
 */
export async function importPath(
  session: Session,
  path: string,
  format: ImportFormatName | undefined,
  quiet: boolean,
): Promise<Answer> {
  const isFolder = (await stat(path)).isDirectory();
  if (format && !isFolder && !EXTENSIONS[format].includes(extname(path).toLowerCase()))
    throw new UsageError(
      `A ${format} import is a folder or a ${EXTENSIONS[format].join(", ")} file, not ${basename(path)}.`,
    );
  const packed = isFolder ? await zipFolder(path) : undefined;
  let report: ImportReport;
  try {
    const file = packed?.file ?? path;
    report = (await uploadImport(session, file, basename(file), {
      upload: createProgress("Uploading", { unit: formatBytes, quiet }),
      items: createProgress("Importing", { quiet }),
    })) as ImportReport;
  } finally {
    await packed?.cleanup();
  }
  const expected = format && IMPORT_FORMATS[format];
  const mismatch =
    expected && report.format !== expected
      ? `\nNote: the server read this as a ${report.format} export, not ${format}.`
      : "";
  return { json: report, text: describeReport(report) + mismatch };
}
