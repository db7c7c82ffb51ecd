import type { RouterOutputs } from "@aimo/api";

/** Where the REST routes are served; every `path` below is relative to it. */
export const REST_BASE_PATH = "/api/v1";

export const REST_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type RestMethod = (typeof REST_METHODS)[number];

/** `memo.create` and the like: a procedure one level below a router of the app's router. */
export type ProcedurePath = {
  [R in keyof RouterOutputs]: `${R}.${keyof RouterOutputs[R] & string}`;
}[keyof RouterOutputs];

/**
 * One REST route onto one procedure. Its input is the procedure's: fields named `{like}` in the path come from
 * the path, the rest from the query string (GET, DELETE) or the JSON body (POST, PUT, PATCH).
 */
export interface RestRoute {
  method: RestMethod;
  path: string;
  procedure: ProcedurePath;
  summary: string;
  /** 201 for what creates; 200 otherwise. */
  status?: 201;
  /** Answers without a token too (public memos and what they show). */
  tokenOptional?: true;
}

/**
 * The REST surface: the procedures a script or a non-TypeScript client needs, and nothing else (sign-in, AI chat,
 * push rules and uploads have their own doors: tRPC, and `POST /attachments` for files).
 */
export const restRoutes: readonly RestRoute[] = [
  { method: "GET", path: "/me", procedure: "auth.me", summary: "The account the token acts for." },

  {
    method: "GET",
    path: "/memos",
    procedure: "memo.list",
    summary: "A page of memos with filters and order; pass `nextCursor` back as `cursor` for the next page.",
  },
  {
    method: "POST",
    path: "/memos",
    procedure: "memo.create",
    status: 201,
    summary: "Create a memo (Markdown); tags given by name are created when new.",
  },
  {
    method: "GET",
    path: "/memos/on-this-day",
    procedure: "memo.onThisDay",
    summary: "Memos written on this day of the year in earlier years.",
  },
  {
    method: "GET",
    path: "/memos/activity",
    procedure: "memo.activity",
    summary: "How many memos were written each day between two dates.",
  },
  {
    method: "GET",
    path: "/memos/{id}",
    procedure: "memo.get",
    summary: "One memo, with its links and index state.",
  },
  {
    method: "PATCH",
    path: "/memos/{id}",
    procedure: "memo.update",
    summary: "Change the fields given; the others stay.",
  },
  { method: "DELETE", path: "/memos/{id}", procedure: "memo.delete", summary: "Delete a memo." },
  {
    method: "GET",
    path: "/memos/{memoId}/related",
    procedure: "search.related",
    summary: "The memos closest in meaning to this one.",
  },

  {
    method: "GET",
    path: "/public/memos/random",
    procedure: "memo.randomPublic",
    tokenOptional: true,
    summary: "A random public memo: one user's (`uid`) or anyone's.",
  },
  {
    method: "GET",
    path: "/public/memos/{id}",
    procedure: "memo.getPublic",
    tokenOptional: true,
    summary: "A public memo, to anyone.",
  },
  {
    method: "GET",
    path: "/public/users/{uid}/memos",
    procedure: "memo.listPublic",
    tokenOptional: true,
    summary: "One user's public memos, newest first, a page at a time.",
  },

  {
    method: "GET",
    path: "/memos/{memoId}/links",
    procedure: "relation.outgoing",
    summary: "The memos this memo links to.",
  },
  {
    method: "GET",
    path: "/memos/{memoId}/backlinks",
    procedure: "relation.backlinks",
    summary: "The memos that link to this memo.",
  },
  {
    method: "PUT",
    path: "/memos/{sourceMemoId}/links/{targetMemoId}",
    procedure: "relation.link",
    summary: "Link one memo to another.",
  },
  {
    method: "DELETE",
    path: "/memos/{sourceMemoId}/links/{targetMemoId}",
    procedure: "relation.unlink",
    summary: "Remove a link.",
  },
  {
    method: "GET",
    path: "/graph",
    procedure: "relation.graph",
    summary: "Every memo that has links, and the links.",
  },

  {
    method: "GET",
    path: "/search",
    procedure: "search.query",
    summary: "Find memos by meaning, by keyword or both (hybrid), with the memo filters.",
  },
  {
    method: "GET",
    path: "/recommendations/today",
    procedure: "recommendation.today",
    summary: "Today's picks: older memos worth seeing again, the same all day.",
  },

  {
    method: "GET",
    path: "/tags",
    procedure: "tag.list",
    summary: "The tags, most used first, with their memo counts.",
  },
  { method: "POST", path: "/tags", procedure: "tag.create", status: 201, summary: "Create a tag." },
  { method: "PATCH", path: "/tags/{id}", procedure: "tag.update", summary: "Rename or recolour a tag." },
  {
    method: "DELETE",
    path: "/tags/{id}",
    procedure: "tag.delete",
    summary: "Delete a tag and remove it from every memo.",
  },

  {
    method: "GET",
    path: "/categories",
    procedure: "category.list",
    summary: "The categories with their memo counts.",
  },
  {
    method: "POST",
    path: "/categories",
    procedure: "category.create",
    status: 201,
    summary: "Create a category.",
  },
  {
    method: "PATCH",
    path: "/categories/{id}",
    procedure: "category.update",
    summary: "Rename or recolour a category.",
  },
  {
    method: "DELETE",
    path: "/categories/{id}",
    procedure: "category.delete",
    summary: "Delete a category; its memos become uncategorised.",
  },

  {
    method: "GET",
    path: "/attachments",
    procedure: "attachment.list",
    summary:
      "A page of attachment metadata, newest first (upload files with `POST /attachments`, multipart).",
  },
  {
    method: "GET",
    path: "/attachments/search",
    procedure: "attachment.searchByText",
    summary: "Images by what they show, from a text.",
  },
  {
    method: "GET",
    path: "/attachments/{id}",
    procedure: "attachment.get",
    summary: "One attachment's metadata.",
  },
  {
    method: "GET",
    path: "/attachments/{id}/url",
    procedure: "attachment.getUrl",
    tokenOptional: true,
    summary: "An expiring link to the file: the owner's, or anyone's for an attachment of a public memo.",
  },
  {
    method: "GET",
    path: "/attachments/{attachmentId}/similar-memos",
    procedure: "attachment.similarMemos",
    summary: "Memos holding this image or similar ones.",
  },
  {
    method: "PATCH",
    path: "/attachments/{id}",
    procedure: "attachment.update",
    summary: "Change the file name, or the measures a client read from the media.",
  },
  {
    method: "DELETE",
    path: "/attachments/{id}",
    procedure: "attachment.delete",
    summary: "Delete the file, its metadata and its place in memos.",
  },

  {
    method: "POST",
    path: "/export-link",
    procedure: "transfer.exportLink",
    summary: "A signed link to download everything as a zip (`GET /export`).",
  },
];
