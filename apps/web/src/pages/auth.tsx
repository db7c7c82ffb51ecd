import { useMutation } from "@tanstack/react-query";
import { useState } from "react";

import { useTRPC } from "../api";
import { LanguageSwitch } from "../App";
import { ErrorNote } from "../components/error-note";
import { formText } from "../form";
import { useI18n } from "../i18n";
import { session, useSession } from "../session";

/** Log in or register; the server field lets the app talk to an API on another origin (CORS). */
export function AuthPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const { apiUrl } = useSession();
  const [mode, setMode] = useState<"login" | "register">("login");
  const signIn = { onSuccess: ({ token }: { token: string }) => session.signIn(token) };
  const login = useMutation(trpc.auth.login.mutationOptions(signIn));
  const register = useMutation(trpc.auth.register.mutationOptions(signIn));
  const active = mode === "login" ? login : register;
  const sameOrigin = apiUrl === window.location.origin;

  return (
    <main className="auth" id="main">
      <div className="auth-top">
        <h1>{t("appName")}</h1>
        <LanguageSwitch />
      </div>
      <form
        aria-label={t(mode)}
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          const email = formText(form, "email");
          const password = formText(form, "password");
          const nickname = formText(form, "nickname").trim();
          if (mode === "login") login.mutate({ email, password });
          else register.mutate({ email, password, ...(nickname ? { nickname } : {}) });
        }}
      >
        <h2>{t(mode)}</h2>
        <label>
          {t("email")}
          <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          {t("password")}
          <input
            name="password"
            type="password"
            minLength={mode === "register" ? 8 : 1}
            autoComplete={mode === "login" ? "current-password" : "new-password"}
            required
          />
        </label>
        {mode === "register" && (
          <label>
            {t("nickname")}
            <input name="nickname" autoComplete="nickname" />
          </label>
        )}
        <details open={!sameOrigin}>
          <summary>{t("server")}</summary>
          <label>
            <span className="visually-hidden">{t("server")}</span>
            <input
              name="server"
              type="url"
              placeholder={window.location.origin}
              defaultValue={sameOrigin ? "" : apiUrl}
              aria-describedby="server-hint"
              onBlur={(e) => session.setServer(e.target.value)}
            />
          </label>
          <small id="server-hint">{t("serverHint")}</small>
        </details>
        <ErrorNote error={active.error} />
        <button type="submit" disabled={active.isPending}>
          {t(mode)}
        </button>
        <button
          type="button"
          className="link-button"
          onClick={() => setMode(mode === "login" ? "register" : "login")}
        >
          {mode === "login" ? t("noAccount") : t("haveAccount")}
        </button>
      </form>
    </main>
  );
}
