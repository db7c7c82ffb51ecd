import { useQuery } from "@tanstack/react-query";

import { useTRPC } from "../api";
import { MemoCard } from "../components/memo-card";
import { useI18n } from "../i18n";

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A year of writing as a grid of weeks, darker for busier days. */
function Heatmap() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const today = Date.parse(isoDay(Date.now()));
  const first = today - (52 * 7 + new Date(today).getUTCDay()) * DAY;
  const activity = useQuery(trpc.memo.activity.queryOptions({ from: isoDay(first), to: isoDay(today) }));
  const counts = new Map((activity.data ?? []).map((day) => [day.date, day.count]));
  const max = Math.max(1, ...counts.values());
  const days = Array.from({ length: (today - first) / DAY + 1 }, (_, i) => isoDay(first + i * DAY));
  return (
    <section aria-labelledby="heatmap-title">
      <h2 id="heatmap-title">{t("activity")}</h2>
      <div
        className="heatmap"
        role="img"
        aria-label={`${t("activity")}: ${[...counts.values()].reduce((a, b) => a + b, 0)} ${t("memoCount")}`}
      >
        {days.map((date) => {
          const count = counts.get(date) ?? 0;
          return (
            <span
              key={date}
              title={`${count} ${t("memosOnDay")} ${date}`}
              style={{ opacity: count ? 0.25 + (0.75 * count) / max : 1 }}
              className={count ? "day busy" : "day"}
            />
          );
        })}
      </div>
    </section>
  );
}

/** On this day in earlier years, the activity heatmap and today's picks. */
export function DailyPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const picks = useQuery(trpc.recommendation.today.queryOptions());
  const onThisDay = useQuery(trpc.memo.onThisDay.queryOptions());
  return (
    <>
      <h1>{t("navDaily")}</h1>
      <section aria-labelledby="picks-title" className="memo-list">
        <h2 id="picks-title">{t("todaysPicks")}</h2>
        {picks.data?.memos.map((memo) => (
          <MemoCard key={memo.id} memo={memo} />
        ))}
        {picks.data?.memos.length === 0 && <p className="muted">{t("nothingHere")}</p>}
      </section>
      <Heatmap />
      <section aria-labelledby="on-this-day-title" className="memo-list">
        <h2 id="on-this-day-title">{t("onThisDay")}</h2>
        {onThisDay.data?.map((memo) => (
          <MemoCard key={memo.id} memo={memo} />
        ))}
        {onThisDay.data?.length === 0 && <p className="muted">{t("nothingHere")}</p>}
      </section>
    </>
  );
}
