import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";

import { useTRPC } from "../api";
import { ErrorNote } from "../components/error-note";
import { MemoCard } from "../components/memo-card";
import { MemoEditor } from "../components/memo-editor";
import { useI18n } from "../i18n";

interface Filters {
  categoryId?: string;
  tagId?: string;
  from?: number;
  to?: number;
  isPublic?: boolean;
  order: "newest" | "oldest";
}

const dayStart = (value: string) => (value ? new Date(`${value}T00:00:00`).getTime() : undefined);
const dayEnd = (value: string) => (value ? new Date(`${value}T23:59:59.999`).getTime() : undefined);

/** The composer over the memo stream: filters, newest/oldest, and more pages as the end scrolls into view. */
export function TimelinePage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const [filters, setFilters] = useState<Filters>({ order: "newest" });
  const tags = useQuery(trpc.tag.list.queryOptions());
  const categories = useQuery(trpc.category.list.queryOptions());
  const memos = useInfiniteQuery(
    trpc.memo.list.infiniteQueryOptions(
      { limit: 20, ...filters },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );
  const end = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = memos;

  useEffect(() => {
    const sentinel = end.current;
    if (!sentinel) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && hasNextPage && !isFetchingNextPage)
        void fetchNextPage();
    });
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const set = (change: Partial<Filters>) => setFilters((current) => ({ ...current, ...change }));
  const items = memos.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <h1 className="visually-hidden">{t("navTimeline")}</h1>
      <section aria-label={t("newMemo")}>
        <MemoEditor />
      </section>
      <details className="filters">
        <summary>{t("filters")}</summary>
        <div className="filter-row">
          <label>
            {t("category")}
            <select
              value={filters.categoryId ?? ""}
              onChange={(e) => set({ categoryId: e.target.value || undefined })}
            >
              <option value="">{t("allCategories")}</option>
              <option value="uncategorized">{t("uncategorized")}</option>
              {categories.data?.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("tags")}
            <select value={filters.tagId ?? ""} onChange={(e) => set({ tagId: e.target.value || undefined })}>
              <option value="">{t("allTags")}</option>
              {tags.data?.map((tag) => (
                <option key={tag.id} value={tag.id}>
                  #{tag.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("from")}
            <input type="date" onChange={(e) => set({ from: dayStart(e.target.value) })} />
          </label>
          <label>
            {t("to")}
            <input type="date" onChange={(e) => set({ to: dayEnd(e.target.value) })} />
          </label>
          <label>
            {t("visibility")}
            <select
              value={filters.isPublic === undefined ? "" : String(filters.isPublic)}
              onChange={(e) =>
                set({ isPublic: e.target.value === "" ? undefined : e.target.value === "true" })
              }
            >
              <option value="">{t("all")}</option>
              <option value="true">{t("publicOnly")}</option>
              <option value="false">{t("privateOnly")}</option>
            </select>
          </label>
          <label>
            {t("order")}
            <select
              value={filters.order}
              onChange={(e) => set({ order: e.target.value as Filters["order"] })}
            >
              <option value="newest">{t("newest")}</option>
              <option value="oldest">{t("oldest")}</option>
            </select>
          </label>
        </div>
      </details>
      <ErrorNote error={memos.error} />
      <section className="memo-list" aria-label={t("navTimeline")} aria-busy={memos.isFetching}>
        {items.map((memo) => (
          <MemoCard key={memo.id} memo={memo} />
        ))}
        {memos.isSuccess && items.length === 0 && <p className="muted">{t("nothingHere")}</p>}
      </section>
      <div ref={end} className="list-end">
        {hasNextPage && (
          <button
            type="button"
            className="secondary"
            disabled={isFetchingNextPage}
            onClick={() => void fetchNextPage()}
          >
            {isFetchingNextPage ? t("loading") : t("loadMore")}
          </button>
        )}
      </div>
    </>
  );
}
