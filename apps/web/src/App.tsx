import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ComponentProps, ReactNode } from "react";

import { useTRPC } from "./api";
import type { Language, MessageKey } from "./i18n";
import { setLanguage, useI18n } from "./i18n";
import { AuthPage } from "./pages/auth";
import { ChatPage } from "./pages/chat";
import { DailyPage } from "./pages/daily";
import { GraphPage } from "./pages/graph";
import { MemoPage } from "./pages/memo";
import { SearchPage } from "./pages/search";
import { SettingsPage } from "./pages/settings";
import { TimelinePage } from "./pages/timeline";
import { navigate, usePath } from "./router";
import { session, useSession } from "./session";

const NAV: [path: string, label: MessageKey][] = [
  ["/", "navTimeline"],
  ["/search", "navSearch"],
  ["/daily", "navDaily"],
  ["/graph", "navGraph"],
  ["/chat", "navChat"],
  ["/settings", "navSettings"],
];

function page(path: string): ReactNode {
  const memo = /^\/memo\/([^/]+)$/.exec(path);
  if (memo?.[1]) return <MemoPage id={decodeURIComponent(memo[1])} />;
  switch (path) {
    case "/search":
      return <SearchPage />;
    case "/daily":
      return <DailyPage />;
    case "/graph":
      return <GraphPage />;
    case "/chat":
      return <ChatPage />;
    case "/settings":
      return <SettingsPage />;
    default:
      return <TimelinePage />;
  }
}

/** An in-app link: a real <a> (keyboard, middle-click) that navigates without a reload. */
export function Link({ to, children, ...rest }: ComponentProps<"a"> & { to: string }) {
  return (
    <a
      href={to}
      {...rest}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

export function LanguageSwitch() {
  const { language, t } = useI18n();
  return (
    <label className="language">
      <span className="visually-hidden">{t("language")}</span>
      <select value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
        <option value="en">English</option>
        <option value="zh">中文</option>
      </select>
    </label>
  );
}

function LogoutButton() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  return (
    <button
      type="button"
      className="link-button"
      onClick={() => {
        session.signOut();
        queryClient.clear();
      }}
    >
      {t("logout")}
    </button>
  );
}

export function useLogoutEverywhere() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.auth.logoutEverywhere.mutationOptions({
      onSuccess: () => {
        session.signOut();
        queryClient.clear();
      },
    }),
  );
}

export function App() {
  const { token } = useSession();
  const path = usePath();
  const { t } = useI18n();
  if (!token) return <AuthPage />;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t("skipToContent")}
      </a>
      <header className="top">
        <Link to="/" className="brand">
          {t("appName")}
        </Link>
        <nav aria-label={t("nav")}>
          <ul>
            {NAV.map(([to, label]) => (
              <li key={to}>
                <Link to={to} {...(path === to ? { "aria-current": "page" } : {})}>
                  {t(label)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="top-actions">
          <LanguageSwitch />
          <LogoutButton />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {page(path)}
      </main>
    </div>
  );
}
