import { useQuery } from "@tanstack/react-query";

import { apiLink, useTRPC } from "../api";
import { useI18n } from "../i18n";

/** A stored attachment: an image preview, or a download link named after the file. */
export function AttachmentView({ id }: { id: string }) {
  const trpc = useTRPC();
  const { t } = useI18n();
  const meta = useQuery(trpc.attachment.get.queryOptions({ id }));
  const link = useQuery(trpc.attachment.getUrl.queryOptions({ id }, { staleTime: 10 * 60_000 }));
  if (!meta.data || !link.data) return <span className="attachment placeholder">{t("attachment")}</span>;
  const url = apiLink(link.data.url);
  if (meta.data.mimeType.startsWith("image/")) {
    return (
      <a href={url} target="_blank" rel="noreferrer" className="attachment">
        <img
          src={url}
          alt={meta.data.filename}
          width={meta.data.width}
          height={meta.data.height}
          loading="lazy"
        />
      </a>
    );
  }
  return (
    <a href={url} target="_blank" rel="noreferrer" className="attachment file">
      📎 {meta.data.filename}
    </a>
  );
}
