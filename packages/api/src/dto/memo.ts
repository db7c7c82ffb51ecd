import type { Memo, MemoType } from "@aimo/db";

/** Whether a memo's vector is in LanceDB yet: pending while its outbox job waits, failed after repeated errors. */
export type IndexState = { status: "indexed" } | { status: "pending" } | { status: "failed"; reason: string };

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
  const dto: MemoDto = {
    id: memo.id,
    content: memo.content,
    type: memo.type,
    tags,
    attachmentIds: memo.attachmentIds,
    isPublic: memo.isPublic,
    createdAt: memo.createdAt.getTime(),
    updatedAt: memo.updatedAt.getTime(),
  };
  // Absent rather than undefined: a DTO of plain JSON values skips superjson's walk (see transformer.ts).
  if (memo.source !== null) dto.source = memo.source;
  if (memo.categoryId !== null) dto.categoryId = memo.categoryId;
  if (extra.linkedMemoIds) dto.linkedMemoIds = extra.linkedMemoIds;
  if (extra.indexState) dto.indexState = extra.indexState;
  return dto;
}
