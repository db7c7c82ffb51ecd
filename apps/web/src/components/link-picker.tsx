import { useQuery } from "@tanstack/react-query";
import { useDeferredValue, useId, useState } from "react";

import { useTRPC } from "../api";
import { useI18n } from "../i18n";

const excerpt = (content: string) => content.replace(/\s+/g, " ").slice(0, 60);

function LinkedMemo({ id, onRemove }: { id: string; onRemove: () => void }) {
  const trpc = useTRPC();
  const { t } = useI18n();
  const memo = useQuery(trpc.memo.get.queryOptions({ id }));
  return (
    <li className="chip">
      <span>{memo.data ? excerpt(memo.data.content) : id}</span>
      <button
        type="button"
        aria-label={`${t("removeLink")}: ${memo.data ? excerpt(memo.data.content) : id}`}
        onClick={onRemove}
      >
        ×
      </button>
    </li>
  );
}

/** The memos this one links to: chosen by searching as you type. */
export function LinkPicker({
  selfId,
  links,
  onChange,
}: {
  selfId?: string;
  links: string[];
  onChange: (links: string[]) => void;
}) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const listId = useId();
  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query.trim());
  const candidates = useQuery({
    ...trpc.search.query.queryOptions({ query: deferred, mode: "keyword", limit: 8 }),
    enabled: deferred.length > 0,
  });
  const choices = (candidates.data?.hits ?? []).filter(
    (hit) => hit.memo.id !== selfId && !links.includes(hit.memo.id),
  );

  return (
    <fieldset className="link-picker">
      <legend>{t("links")}</legend>
      {links.length > 0 && (
        <ul className="chips">
          {links.map((id) => (
            <LinkedMemo key={id} id={id} onRemove={() => onChange(links.filter((l) => l !== id))} />
          ))}
        </ul>
      )}
      <label>
        <span className="visually-hidden">{t("linkSearch")}</span>
        <input
          type="search"
          name="link-search"
          value={query}
          placeholder={t("linkSearch")}
          aria-controls={listId}
          onChange={(e) => setQuery(e.target.value)}
        />
      </label>
      <ul id={listId} className="link-choices" aria-live="polite">
        {deferred &&
          choices.map((hit) => (
            <li key={hit.memo.id}>
              <button
                type="button"
                onClick={() => {
                  onChange([...links, hit.memo.id]);
                  setQuery("");
                }}
              >
                {excerpt(hit.memo.content)}
              </button>
            </li>
          ))}
      </ul>
    </fieldset>
  );
}
