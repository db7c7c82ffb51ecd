import type { Category } from "@aimo/db";

export interface CategoryDto {
  id: string;
  name: string;
  color?: string;
  memoCount?: number;
  createdAt: number;
  updatedAt: number;
}

export function toCategoryDto(category: Category, memoCount?: number): CategoryDto {
  return {
    id: category.id,
    name: category.name,
    color: category.color ?? undefined,
    ...(memoCount === undefined ? {} : { memoCount }),
    createdAt: category.createdAt.getTime(),
    updatedAt: category.updatedAt.getTime(),
  };
}
