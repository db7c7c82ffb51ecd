/**
 * Keyword queries in Chinese, English and both, by how many memos hold all their words (20,000 memos, seed 1):
 * "common" ones 500-4,000 (words that glue every topic's sentences), "mid" ones 20-250 (words of one topic
 * family), "rare" ones fewer than 20.
 */
import type { Language } from "./text";

export type Frequency = "rare" | "mid" | "common";

export interface KeywordQuery {
  text: string;
  language: Language;
  frequency: Frequency;
}

const query = (text: string, language: Language, frequency: Frequency): KeywordQuery => ({
  text,
  language,
  frequency,
});

export const KEYWORD_QUERIES: KeywordQuery[] = [
  query("今天", "zh", "common"),
  query("感觉", "zh", "common"),
  query("数据库", "zh", "mid"),
  query("咖啡", "zh", "mid"),
  query("跑步", "zh", "mid"),
  query("薛定谔", "zh", "rare"),
  query("敦煌壁画", "zh", "rare"),
  query("today", "en", "common"),
  query("tomorrow", "en", "common"),
  query("database", "en", "mid"),
  query("coffee", "en", "mid"),
  query("machine learning", "en", "mid"),
  query("Jingdezhen", "en", "rare"),
  query("Goldbach", "en", "rare"),
  query("TODO 今天", "mixed", "common"),
  query("coffee 咖啡", "mixed", "mid"),
  query("Anki 单词", "mixed", "mid"),
  query("傅里叶 Fourier", "mixed", "rare"),
];
