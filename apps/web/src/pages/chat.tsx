import type { MessageDto } from "@aimo/client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { useTRPC, useTRPCClient } from "../api";
import { Link } from "../App";
import { ErrorNote } from "../components/error-note";
import { useI18n } from "../i18n";
import { renderMarkdown } from "../markdown";

type Source = MessageDto["sources"][number];

function Sources({ sources }: { sources: Source[] }) {
  const { t } = useI18n();
  if (sources.length === 0) return null;
  return (
    <details className="sources" open>
      <summary>{t("sources")}</summary>
      <ol>
        {sources.map((source) => (
          <li key={source.memoId}>
            <Link to={`/memo/${source.memoId}`}>{source.content.replace(/\s+/g, " ").slice(0, 80)}</Link>
          </li>
        ))}
      </ol>
    </details>
  );
}

function Message({ role, content, sources }: { role: string; content: string; sources: Source[] }) {
  return (
    <li className={`message ${role}`}>
      <div className="markdown" dangerouslySetInnerHTML={{ __html: renderMarkdown(content) }} />
      {role === "assistant" && <Sources sources={sources} />}
    </li>
  );
}

/** Questions about one's memos, answered token by token as `ai.send` streams, with the memos it drew on. */
export function ChatPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [conversationId, setConversationId] = useState<string>();
  const [question, setQuestion] = useState("");
  const [live, setLive] = useState<{ question: string; answer: string; sources: Source[] }>();
  const status = useQuery(trpc.ai.status.queryOptions());
  const conversations = useQuery(trpc.ai.conversations.list.queryOptions({ limit: 50 }));
  const messages = useQuery({
    ...trpc.ai.messages.queryOptions({ conversationId: conversationId ?? "", limit: 100 }),
    enabled: conversationId !== undefined,
  });

  const send = useMutation({
    mutationFn: async (content: string) => {
      setLive({ question: content, answer: "", sources: [] });
      const stream = await client.ai.send.mutate({ content, ...(conversationId ? { conversationId } : {}) });
      for await (const event of stream) {
        if (event.type === "start") {
          setConversationId(event.conversationId);
          setLive((current) => current && { ...current, sources: event.sources });
        } else if (event.type === "delta") {
          setLive((current) => current && { ...current, answer: current.answer + event.text });
        }
      }
    },
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: trpc.ai.pathKey() });
      setLive(undefined);
    },
  });

  const history = messages.data?.items ?? [];
  return (
    <div className="chat">
      <aside aria-label={t("conversations")} className="conversations">
        <button type="button" onClick={() => setConversationId(undefined)}>
          {t("newConversation")}
        </button>
        <ul>
          {conversations.data?.items.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                className="link-button"
                aria-current={c.id === conversationId ? "true" : undefined}
                onClick={() => setConversationId(c.id)}
              >
                {c.title}
              </button>
            </li>
          ))}
        </ul>
      </aside>
      <section className="chat-main" aria-labelledby="chat-title">
        <h1 id="chat-title">{t("chatTitle")}</h1>
        {status.data && !status.data.chat && <p className="notice">{t("chatOff")}</p>}
        <ol className="messages" aria-live="polite">
          {history.map((m) => (
            <Message key={m.id} role={m.role} content={m.content} sources={m.sources} />
          ))}
          {live && (
            <>
              <Message role="user" content={live.question} sources={[]} />
              <li className="message assistant streaming" aria-busy="true">
                <div
                  className="markdown"
                  dangerouslySetInnerHTML={{ __html: renderMarkdown(live.answer || t("thinking")) }}
                />
                <Sources sources={live.sources} />
              </li>
            </>
          )}
        </ol>
        <ErrorNote error={send.error} />
        <form
          className="chat-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (!question.trim() || send.isPending) return;
            send.mutate(question.trim());
            setQuestion("");
          }}
        >
          <label>
            <span className="visually-hidden">{t("chatPlaceholder")}</span>
            <textarea
              name="question"
              rows={2}
              value={question}
              placeholder={t("chatPlaceholder")}
              onChange={(e) => setQuestion(e.target.value)}
              onKeyDown={(event) => {
                if (event.key === "Enter" && !event.shiftKey) {
                  event.preventDefault();
                  event.currentTarget.form?.requestSubmit();
                }
              }}
            />
          </label>
          <button type="submit" disabled={send.isPending}>
            {t("send")}
          </button>
        </form>
      </section>
    </div>
  );
}
