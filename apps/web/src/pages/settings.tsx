import { uploadAvatar } from "@aimo/client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { apiLink, useTRPC } from "../api";
import { LanguageSwitch, useLogoutEverywhere } from "../App";
import { ErrorNote } from "../components/error-note";
import { formText } from "../form";
import { useI18n } from "../i18n";
import { session } from "../session";

function Profile() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useQuery(trpc.user.get.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.user.get.queryKey() });
  const update = useMutation(trpc.user.update.mutationOptions({ onSuccess: refresh }));
  const removeAvatar = useMutation(trpc.user.removeAvatar.mutationOptions({ onSuccess: refresh }));
  const avatar = useMutation({
    mutationFn: (file: File) =>
      uploadAvatar({ url: session.get().apiUrl, token: session.get().token }, file, file.name),
    onSuccess: refresh,
  });
  if (!me.data) return null;
  return (
    <section aria-labelledby="profile-title" className="panel">
      <h2 id="profile-title">{t("profile")}</h2>
      <div className="profile">
        {me.data.avatarUrl ? (
          <img src={apiLink(me.data.avatarUrl)} alt={t("avatar")} className="avatar" />
        ) : (
          <span className="avatar placeholder" aria-hidden="true">
            {(me.data.nickname ?? me.data.email ?? "?").slice(0, 1).toUpperCase()}
          </span>
        )}
        <div>
          <p>{me.data.email}</p>
          <label className="file-button">
            {t("changeAvatar")}
            <input
              type="file"
              accept="image/png,image/jpeg,image/gif,image/webp"
              onChange={(e) => e.target.files?.[0] && avatar.mutate(e.target.files[0])}
            />
          </label>
          {me.data.avatarUrl && (
            <button type="button" className="link-button" onClick={() => removeAvatar.mutate()}>
              {t("removeAvatar")}
            </button>
          )}
        </div>
      </div>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const nickname = formText(new FormData(event.currentTarget), "nickname").trim();
          update.mutate({ nickname: nickname || null });
        }}
      >
        <label>
          {t("nickname")}
          <input name="nickname" defaultValue={me.data.nickname ?? ""} maxLength={64} />
        </label>
        <button type="submit">{t("save")}</button>
      </form>
      <ErrorNote error={update.error ?? avatar.error ?? removeAvatar.error} />
      <LanguageSwitch />
    </section>
  );
}

function ApiTokens() {
  const { t, formatDate } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<string>();
  const tokens = useQuery(trpc.auth.listTokens.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.auth.listTokens.queryKey() });
  const create = useMutation(
    trpc.auth.createToken.mutationOptions({
      onSuccess: async ({ token }) => {
        setCreated(token);
        await refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.auth.revokeToken.mutationOptions({ onSuccess: refresh }));
  return (
    <section aria-labelledby="tokens-title" className="panel">
      <h2 id="tokens-title">{t("apiTokens")}</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const form = event.currentTarget;
          create.mutate({ name: formText(new FormData(form), "name") });
          form.reset();
        }}
      >
        <label>
          {t("tokenName")}
          <input name="name" required maxLength={64} />
        </label>
        <button type="submit">{t("createToken")}</button>
      </form>
      {created && (
        <p role="status">
          {t("tokenCreated")} <code>{created}</code>
        </p>
      )}
      <ul className="rows">
        {tokens.data?.map((token) => (
          <li key={token.id}>
            <span>
              {token.name} <code>{token.prefix}…</code> · {formatDate(token.createdAt)}
            </span>
            <button type="button" className="danger" onClick={() => revoke.mutate({ id: token.id })}>
              {t("revoke")}
            </button>
          </li>
        ))}
      </ul>
      <ErrorNote error={create.error ?? revoke.error} />
    </section>
  );
}

function Deliveries({ ruleId }: { ruleId: string }) {
  const { t, formatDate } = useI18n();
  const trpc = useTRPC();
  const deliveries = useQuery(trpc.pushRule.deliveries.queryOptions({ id: ruleId, limit: 20 }));
  return (
    <details>
      <summary>{t("deliveries")}</summary>
      {deliveries.data?.length === 0 && <p className="muted">{t("noDeliveries")}</p>}
      <ul className="rows">
        {deliveries.data?.map((d) => (
          <li key={d.id}>
            {formatDate(d.createdAt)} · {d.channelType} · {d.status} ({d.attempts})
            {d.error && ` · ${d.error}`}
          </li>
        ))}
      </ul>
    </details>
  );
}

function PushRules() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rules = useQuery(trpc.pushRule.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.pushRule.pathKey() });
  const create = useMutation(trpc.pushRule.create.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.pushRule.delete.mutationOptions({ onSuccess: refresh }));
  const sendNow = useMutation(trpc.pushRule.sendNow.mutationOptions({ onSettled: refresh }));
  const [channelType, setChannelType] = useState<"webhook" | "feishu" | "meow">("webhook");
  return (
    <section aria-labelledby="push-title" className="panel">
      <h2 id="push-title">{t("pushRules")}</h2>
      <ul className="rows">
        {rules.data?.map((rule) => (
          <li key={rule.id} className="rule">
            <span>
              {rule.name} · {String(rule.pushTime).padStart(2, "0")}:00 ·{" "}
              {t(rule.contentType === "daily_pick" ? "dailyPick" : "dailyMemos")} ·{" "}
              {rule.channels.map((c) => c.type).join(", ")}
            </span>
            <span>
              <button
                type="button"
                onClick={() => sendNow.mutate({ id: rule.id })}
                disabled={sendNow.isPending}
              >
                {t("sendNow")}
              </button>
              <button type="button" className="danger" onClick={() => remove.mutate({ id: rule.id })}>
                {t("delete")}
              </button>
            </span>
            <Deliveries ruleId={rule.id} />
          </li>
        ))}
      </ul>
      <form
        className="rule-form"
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          const target = formText(form, "target");
          const secret = formText(form, "secret").trim();
          create.mutate({
            name: formText(form, "name"),
            pushTime: Number(form.get("pushTime")),
            contentType: form.get("contentType") === "daily_memos" ? "daily_memos" : "daily_pick",
            channels: [
              channelType === "meow"
                ? { type: "meow", nickname: target }
                : channelType === "webhook"
                  ? { type: "webhook", webhookUrl: target, secret }
                  : { type: "feishu", webhookUrl: target, ...(secret ? { secret } : {}) },
            ],
            enabled: true,
          });
        }}
      >
        <label>
          {t("ruleName")}
          <input name="name" required maxLength={128} />
        </label>
        <label>
          {t("pushHour")}
          <input name="pushTime" type="number" min={0} max={23} defaultValue={8} required />
        </label>
        <label>
          {t("contentType")}
          <select name="contentType">
            <option value="daily_pick">{t("dailyPick")}</option>
            <option value="daily_memos">{t("dailyMemos")}</option>
          </select>
        </label>
        <label>
          {t("channel")}
          <select value={channelType} onChange={(e) => setChannelType(e.target.value as typeof channelType)}>
            <option value="webhook">Webhook</option>
            <option value="feishu">Feishu / Lark</option>
            <option value="meow">Meow</option>
          </select>
        </label>
        <label>
          {channelType === "meow" ? t("meowNickname") : t("webhookUrl")}
          <input name="target" type={channelType === "meow" ? "text" : "url"} required />
        </label>
        {channelType !== "meow" && (
          <label>
            {t("secret")}
            <input
              name="secret"
              required={channelType === "webhook"}
              placeholder={channelType === "webhook" ? "whsec_…" : ""}
            />
          </label>
        )}
        <button type="submit">{t("addRule")}</button>
      </form>
      <ErrorNote error={create.error ?? sendNow.error ?? remove.error} />
    </section>
  );
}

/** Profile and avatar, personal API tokens, push rules, and ending every session. */
export function SettingsPage() {
  const { t } = useI18n();
  const logoutEverywhere = useLogoutEverywhere();
  return (
    <>
      <h1>{t("navSettings")}</h1>
      <Profile />
      <ApiTokens />
      <PushRules />
      <section className="panel">
        <button type="button" className="danger" onClick={() => logoutEverywhere.mutate()}>
          {t("logoutEverywhere")}
        </button>
      </section>
    </>
  );
}
