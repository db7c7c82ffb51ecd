import type {
  ImportSkip,
  MemoType,
  MessageRole,
  MessageSource,
  PushChannel,
  PushContentType,
} from "@aimo/db";

import type { SourceFile } from "./source";

/**
 * What an upload holds, whatever its format, before anything is written. Every item has a `key`, unique in its
 * upload: the import session records the keys it finished, so a re-run skips them. `id`s are the ids the file
 * gave; they are kept when free and replaced otherwise, and references (`links`, `attachments`, sources) name
 * other items by key.
 */
export interface ImportPlan {
  format: ImportFormat;
  categories: PlannedNamed[];
  tags: PlannedNamed[];
  attachments: PlannedAttachment[];
  memos: PlannedMemo[];
  conversations: PlannedConversation[];
  dailyPicks: PlannedDailyPick[];
  pushRules: PlannedPushRule[];
  /** What the parser already left out, and why. */
  skipped: ImportSkip[];
}

export type ImportFormat = "aimo" | "markdown" | "usememos" | "flomo";

export interface PlannedNamed {
  key: string;
  id?: string;
  name: string;
  color?: string | null;
  createdAt?: Date;
  updatedAt?: Date;
}

export interface PlannedAttachment {
  key: string;
  id?: string;
  file: SourceFile;
  filename: string;
  mimeType?: string;
  createdAt?: Date;
}

export interface PlannedMemo {
  key: string;
  id?: string;
  content: string;
  type: MemoType;
  source?: string;
  createdAt: Date;
  updatedAt: Date;
  category?: string;
  tags: string[];
  isPublic: boolean;
  /** Keys of memos this one links to, with when the link was made (now when unknown). */
  links: { key: string; createdAt?: Date }[];
  /** Keys of attachments, in order. */
  attachments: string[];
}

export interface PlannedConversation {
  key: string;
  id: string;
  title: string;
  createdAt: Date;
  updatedAt: Date;
  messages: {
    id: string;
    role: MessageRole;
    content: string;
    /** `memoId` is a memo key until the import maps it. */
    sources: MessageSource[];
    createdAt: Date;
  }[];
}

export interface PlannedDailyPick {
  key: string;
  date: string;
  memoKeys: string[];
  createdAt: Date;
}

export interface PlannedPushRule {
  key: string;
  id: string;
  name: string;
  pushTime: number;
  contentType: PushContentType;
  enabled: boolean;
  channels: PushChannel[];
  createdAt: Date;
  updatedAt: Date;
}

export const emptyPlan = (format: ImportFormat): ImportPlan => ({
  format,
  categories: [],
  tags: [],
  attachments: [],
  memos: [],
  conversations: [],
  dailyPicks: [],
  pushRules: [],
  skipped: [],
});

export const memoKey = (id: string) => `memo:${id}`;
export const attachmentKey = (id: string) => `attachment:${id}`;
