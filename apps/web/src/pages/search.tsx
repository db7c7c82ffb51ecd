import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useDeferredValue, useState } from "react";

import { useTRPC } from "../api";
import { ErrorNote } from "../components/error-note";
import { MemoCard } from "../components/memo-card";
import { useI18n } from "../i18n";

/** Hybrid search as you type, with each hit's fused score and similarity. */
export function SearchPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query.trim());
  const results = useQuery({
    ...trpc.search.query.queryOptions({ query: deferred, mode: "hybrid", limit: 20 }),
    enabled: deferred.length > 0,
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <h1>{t("navSearch")}</h1>
      <form role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          <span className="visually-hidden">{t("searchLabel")}</span>
          <input
            type="search"
            name="q"
            autoFocus
            value={query}
            placeholder={t("searchPlaceholder")}
            onChange={(e) => setQuery(e.target.value)}
          />
        </label>
      </form>
      <ErrorNote error={results.error} />
      {deferred && results.data?.degraded && (
        <p role="status" className="notice">
          {t("keywordOnly")}
        </p>
      )}
      <section
        className="memo-list"
        aria-label={t("navSearch")}
        aria-live="polite"
        aria-busy={results.isFetching}
      >
        {deferred &&
          results.data?.hits.map((hit) => (
            <MemoCard
              key={hit.memo.id}
              memo={hit.memo}
              extra={
                <span className="score">
                  {t("score")} {hit.score.toFixed(2)}
                  {hit.similarity !== undefined && ` · ${t("similarity")} ${hit.similarity.toFixed(2)}`}
                  {` · ${t("matchedBy")} ${hit.matchedBy.join(" + ")}`}
                </span>
              }
            />
          ))}
        {deferred && results.isSuccess && results.data.hits.length === 0 && (
          <p className="muted">{t("nothingHere")}</p>
        )}
      </section>
    </>
  );
}
