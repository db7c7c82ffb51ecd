import type { Tag } from "@aimo/db";

export interface TagDto {
  id: string;
  name: string;
  color?: string;
  usageCount: number;
  createdAt: number;
  updatedAt: number;
}

export function toTagDto(tag: Tag): TagDto {
  return {
    id: tag.id,
    name: tag.name,
    color: tag.color ?? undefined,
    usageCount: tag.usageCount,
    createdAt: tag.createdAt.getTime(),
    updatedAt: tag.updatedAt.getTime(),
  };
}
