import type { MemoDto } from "@aimo/client";
import type { ReactNode } from "react";

import { Link } from "../App";
import { useI18n } from "../i18n";
import { renderMarkdown } from "../markdown";
import { AttachmentView } from "./attachment-view";

/** One memo in a list: its Markdown, tags, attachments and date, linking to its page. */
export function MemoCard({ memo, extra }: { memo: MemoDto; extra?: ReactNode }) {
  const { t, formatDate } = useI18n();
  return (
    <article className="memo-card" aria-labelledby={`memo-${memo.id}-date`}>
      <div className="markdown" dangerouslySetInnerHTML={{ __html: renderMarkdown(memo.content) }} />
      {memo.attachmentIds.length > 0 && (
        <div className="attachments">
          {memo.attachmentIds.map((id) => (
            <AttachmentView key={id} id={id} />
          ))}
        </div>
      )}
      <footer>
        <Link to={`/memo/${memo.id}`} id={`memo-${memo.id}-date`} className="memo-date">
          {formatDate(memo.createdAt)}
        </Link>
        {memo.isPublic && <span className="badge">{t("isPublic")}</span>}
        <ul className="tags" aria-label={t("tags")}>
          {memo.tags.map((tag) => (
            <li key={tag.id} className="tag">
              #{tag.name}
            </li>
          ))}
        </ul>
        {extra}
      </footer>
    </article>
  );
}
