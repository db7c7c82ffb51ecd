import DOMPurify from "dompurify";
import { marked } from "marked";

/** Memo Markdown as safe HTML: marked renders, DOMPurify strips anything that could run script. */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source, { async: false, gfm: true, breaks: true });
  return DOMPurify.sanitize(html);
}
