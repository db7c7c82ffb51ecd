import { useSyncExternalStore } from "react";

/**
 * The access token lives in localStorage: AIMO's API takes bearer tokens (no cookies, so no CSRF surface), and
 * localStorage keeps a person signed in across reloads and tabs until they log out. The price is that script
 * running in the page could read it, so the app renders memo Markdown only through DOMPurify and loads no
 * third-party script. The API server is this page's origin unless the person picks another one at sign-in.
 */
const TOKEN_KEY = "aimo.token";
const SERVER_KEY = "aimo.server";

export interface Session {
  token: string | undefined;
  /** The API's origin, without a trailing slash. */
  apiUrl: string;
}

const listeners = new Set<() => void>();

function read(): Session {
  return {
    token: localStorage.getItem(TOKEN_KEY) ?? undefined,
    apiUrl: (localStorage.getItem(SERVER_KEY) ?? window.location.origin).replace(/\/+$/, ""),
  };
}

let current = read();

function changed() {
  current = read();
  for (const listener of listeners) listener();
}

window.addEventListener("storage", (event) => {
  if (event.key === TOKEN_KEY || event.key === SERVER_KEY) changed();
});

export const session = {
  get: () => current,
  signIn(token: string) {
    localStorage.setItem(TOKEN_KEY, token);
    changed();
  },
  signOut() {
    localStorage.removeItem(TOKEN_KEY);
    changed();
  },
  /** An empty value means this page's own origin. */
  setServer(url: string) {
    if (url.trim()) localStorage.setItem(SERVER_KEY, url.trim());
    else localStorage.removeItem(SERVER_KEY);
    changed();
  },
};

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const useSession = () => useSyncExternalStore(subscribe, () => current);
