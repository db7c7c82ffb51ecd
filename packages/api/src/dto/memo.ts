import type { Memo, MemoType } from "@aimo/db";

import type { IndexState } from "../services/vector-sync";

export interface MemoTagDto {
  id: string;
  name: string;
}

export interface MemoDto {
  id: string;
  content: string;
  type: MemoType;
  source?: string;
  categoryId?: string;
  tags: MemoTagDto[];
  attachmentIds: string[];
  isPublic: boolean;
  createdAt: number;
  updatedAt: number;
  /** Present on single-memo reads. */
  linkedMemoIds?: string[];
  indexState?: IndexState;
}

export function toMemoDto(
  memo: Memo,
  tags: MemoTagDto[],
  extra: { linkedMemoIds?: string[]; indexState?: IndexState } = {},
): MemoDto {
  return {
    id: memo.id,
    content: memo.content,
    type: memo.type,
    // Absent rather than undefined: a DTO of plain JSON values skips superjson's walk (see transformer.ts).
    ...(memo.source !== null ? { source: memo.source } : {}),
    ...(memo.categoryId !== null ? { categoryId: memo.categoryId } : {}),
    tags,
    attachmentIds: memo.attachmentIds,
    isPublic: memo.isPublic,
    createdAt: memo.createdAt.getTime(),
    updatedAt: memo.updatedAt.getTime(),
    ...(extra.linkedMemoIds ? { linkedMemoIds: extra.linkedMemoIds } : {}),
    ...(extra.indexState ? { indexState: extra.indexState } : {}),
  };
}
