import type { AppRouter, AttachmentDto } from "@aimo/client";
import { createAimoClient, TRPCClientError } from "@aimo/client";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import type { ReactNode } from "react";
import { useMemo, useState } from "react";

import { session, useSession } from "./session";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** A token that stopped working (expired, logged out everywhere) signs the app out. */
function signOutWhenUnauthorized(error: unknown) {
  if (
    error instanceof TRPCClientError &&
    (error.data as { code?: string } | undefined)?.code === "UNAUTHORIZED"
  ) {
    session.signOut();
  }
}

export function ApiProvider({ children }: { children: ReactNode }) {
  const { apiUrl } = useSession();
  const [queryClient] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError: signOutWhenUnauthorized }),
        mutationCache: new MutationCache({ onError: signOutWhenUnauthorized }),
        defaultOptions: { queries: { staleTime: 30_000, retry: 1, refetchOnWindowFocus: false } },
      }),
  );
  const trpcClient = useMemo(
    () => createAimoClient({ url: apiUrl, token: () => session.get().token }),
    [apiUrl],
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}

/** A link the server gave (attachments, avatars) is relative to the API's origin, not this page's. */
export const apiLink = (url: string) => new URL(url, `${session.get().apiUrl}/`).toString();

/**
 * `POST /attachments` with upload progress. `uploadAttachment` of @aimo/client sends the same request through
 * fetch, which reports no upload progress; XMLHttpRequest does.
 */
export function uploadWithProgress(
  file: File,
  onProgress: (fraction: number) => void,
): Promise<AttachmentDto> {
  const { apiUrl, token } = session.get();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${apiUrl}/attachments`);
    if (token) xhr.setRequestHeader("authorization", `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      const body = JSON.parse(xhr.responseText || "{}") as AttachmentDto & { error?: { message?: string } };
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new Error(body.error?.message ?? `HTTP ${xhr.status}`));
    };
    xhr.onerror = () => reject(new Error("network error"));
    const form = new FormData();
    form.append("file", file, file.name || "pasted");
    xhr.send(form);
  });
}
