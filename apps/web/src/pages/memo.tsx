import type { MemoDto } from "@aimo/client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { useTRPC } from "../api";
import { Link } from "../App";
import { ErrorNote } from "../components/error-note";
import { MemoCard } from "../components/memo-card";
import { MemoEditor } from "../components/memo-editor";
import { useI18n } from "../i18n";
import { navigate } from "../router";

function MemoLinks({ title, memos }: { title: string; memos: MemoDto[] | undefined }) {
  if (!memos?.length) return null;
  return (
    <section aria-label={title} className="memo-links">
      <h2>{title}</h2>
      <ul>
        {memos.map((memo) => (
          <li key={memo.id}>
            <Link to={`/memo/${memo.id}`}>{memo.content.replace(/\s+/g, " ").slice(0, 80)}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** One memo: its content, edit and delete, what it links to, what links to it, and memos like it. */
export function MemoPage({ id }: { id: string }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const memo = useQuery(trpc.memo.get.queryOptions({ id }));
  const outgoing = useQuery(trpc.relation.outgoing.queryOptions({ memoId: id }));
  const backlinks = useQuery(trpc.relation.backlinks.queryOptions({ memoId: id }));
  const related = useQuery(trpc.search.related.queryOptions({ memoId: id, limit: 5 }));
  const remove = useMutation(
    trpc.memo.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries();
        navigate("/");
      },
    }),
  );

  if (memo.error) return <ErrorNote error={memo.error} />;
  if (!memo.data) return <p aria-busy="true">{t("loading")}</p>;
  return (
    <>
      <h1 className="visually-hidden">{memo.data.content.slice(0, 60)}</h1>
      {editing ? (
        <MemoEditor memo={memo.data} onDone={() => setEditing(false)} />
      ) : (
        <MemoCard
          memo={memo.data}
          extra={
            <span className="card-actions">
              {memo.data.indexState?.status === "pending" && <span className="muted">{t("pending")}</span>}
              <button type="button" className="secondary" onClick={() => setEditing(true)}>
                {t("edit")}
              </button>
              <button
                type="button"
                className="danger"
                onClick={() => window.confirm(t("confirmDelete")) && remove.mutate({ id })}
              >
                {t("delete")}
              </button>
            </span>
          }
        />
      )}
      <ErrorNote error={remove.error} />
      <MemoLinks title={t("linksOut")} memos={outgoing.data} />
      <MemoLinks title={t("backlinks")} memos={backlinks.data} />
      <MemoLinks title={t("related")} memos={related.data?.hits.map((hit) => hit.memo)} />
    </>
  );
}
