import { MANIFEST_PATH } from "../format";
import type { ImportPlan } from "./plan";
import type { ImportSource } from "./source";
import { ImportInputError } from "./source";
import { planAimoExport } from "./sources/aimo";
import { isFlomoHtml, planFlomo } from "./sources/flomo";
import { isMarkdownPath, planMarkdown } from "./sources/markdown";
import { isUsememosJson, planUsememosJson, planUsememosZip, USEMEMOS_FILE } from "./sources/usememos";

const MAX_JSON_BYTES = 64 * 1024 * 1024;
const MAX_HTML_BYTES = 256 * 1024 * 1024;

/**
 * Reads an upload as the first format it matches: an AIMO export (`aimo.json`), a flomo HTML export, a memos
 * JSON export, a memos zip of `<time>-<VISIBILITY>.md` files, Markdown files. Anything else is refused.
 */
export async function planImport(source: ImportSource, timeZone: string): Promise<ImportPlan> {
  const { files } = source;
  if (files.some((file) => file.path === MANIFEST_PATH)) return planAimoExport(source);
  for (const file of files.filter((f) => /\.html?$/i.test(f.path))) {
    if (isFlomoHtml(await source.readText(file, MAX_HTML_BYTES))) return planFlomo(source, file, timeZone);
  }
  for (const file of files.filter((f) => /\.json$/i.test(f.path))) {
    let json: unknown;
    try {
      json = JSON.parse(await source.readText(file, MAX_JSON_BYTES));
    } catch (error) {
      if (error instanceof ImportInputError) throw error;
      throw new ImportInputError(`${file.path}: not valid JSON`);
    }
    if (isUsememosJson(json)) return planUsememosJson(json, file.path);
  }
  const markdown = files.filter((file) => isMarkdownPath(file.path));
  if (markdown.length > 0 && markdown.every((file) => USEMEMOS_FILE.test(file.path)))
    return planUsememosZip(source);
  if (markdown.length > 0) return planMarkdown(source);
  throw new ImportInputError(
    "Nothing to import: expected an AIMO export, Markdown files, a memos export or a flomo HTML export",
  );
}
