// Period names the API understands, for "now" in a team's time zone, and their labels;
// today's date in a zone, and the latest day a form may offer.

const monthName = new Intl.DateTimeFormat(undefined, {
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});

/** Return {week, month, quarter, year, all} names, e.g. week "2026-W48", for a moment. */
export function periodNames(timeZone, moment = new Date()) {
  const [year, month, day] = dayIn(timeZone, moment).split("-").map(Number);
  return {
    week: isoWeek(year, month, day),
    month: `${year}-${String(month).padStart(2, "0")}`,
    quarter: `${year}-Q${Math.ceil(month / 3)}`,
    year: String(year),
    all: "all",
  };
}

/** The calendar day of `moment` as YYYY-MM-DD in `timeZone` (the browser's when undefined). */
function dayIn(timeZone, moment = new Date()) {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(moment);
}

/**
 * For a day the server refuses after today in UTC and in `timeZone` alike (the later of
 * the two counts: achievements): {today: today in `timeZone`, latest: the last day accepted}.
 */
export function todayInTeam(timeZone, moment = new Date()) {
  const today = dayIn(timeZone, moment);
  const utc = dayIn("UTC", moment);
  return { today, latest: today > utc ? today : utc };
}

/**
 * For a day the server refuses after today in UTC (check-ins): the browser's today, or
 * UTC's when that is earlier; it is both the default and the latest day accepted.
 */
export function todayNotAfterUtc(moment = new Date()) {
  const local = dayIn(undefined, moment);
  const utc = dayIn("UTC", moment);
  return local < utc ? local : utc;
}

/** ISO 8601 week of a calendar day: weeks start on Monday; week 1 holds a Thursday. */
function isoWeek(year, month, day) {
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

/** This and next month, quarter and year in `timeZone`, as [name, label] pairs for a select. */
export function upcomingPeriods(timeZone) {
  const now = periodNames(timeZone);
  const pairs = [
    ["This month", now.month],
    ["Next month", nextMonth(now.month)],
    ["This quarter", now.quarter],
    ["Next quarter", nextQuarter(now.quarter)],
    ["This year", now.year],
    ["Next year", String(Number(now.year) + 1)],
  ];
  return pairs.map(([label, name]) => [name, `${label} (${periodLabel(name)})`]);
}

function nextMonth(name) {
  const [year, month] = name.split("-").map(Number);
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, "0")}`;
}

function nextQuarter(name) {
  const [year, quarter] = name.split("-Q").map(Number);
  return quarter === 4 ? `${year + 1}-Q1` : `${year}-Q${quarter + 1}`;
}

/** Name a period for people: "2026-11" → "November 2026", "2026-Q4" → "Q4 2026", "2026" → "2026". */
export function periodLabel(name) {
  const month = /^(\d{4})-(\d{2})$/.exec(name);
  if (month) return monthName.format(new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1)));
  const quarter = /^(\d{4})-Q(\d)$/.exec(name);
  if (quarter) return `Q${quarter[2]} ${quarter[1]}`;
  return name;
}
