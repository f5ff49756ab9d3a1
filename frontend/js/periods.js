// Period names the API understands, for "now" in a team's time zone.

/** Return {week, month, quarter, year, all} names, e.g. week "2026-W48", for a moment. */
export function periodNames(timeZone, moment = new Date()) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(moment);
  const part = (type) => Number(parts.find((p) => p.type === type).value);
  const [year, month, day] = [part("year"), part("month"), part("day")];
  return {
    week: isoWeek(year, month, day),
    month: `${year}-${String(month).padStart(2, "0")}`,
    quarter: `${year}-Q${Math.ceil(month / 3)}`,
    year: String(year),
    all: "all",
  };
}

/** ISO 8601 week of a calendar day: weeks start on Monday; week 1 holds a Thursday. */
export function isoWeek(year, month, day) {
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday); // the Thursday of this week
  const weekYear = date.getUTCFullYear();
  const firstDay = Date.UTC(weekYear, 0, 1);
  const week = Math.ceil(((date.getTime() - firstDay) / 86400000 + 1) / 7);
  return `${weekYear}-W${String(week).padStart(2, "0")}`;
}

export const PERIOD_LABELS = [
  ["week", "This week"],
  ["month", "This month"],
  ["quarter", "This quarter"],
  ["year", "This year"],
  ["all", "All time"],
];
