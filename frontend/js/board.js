// A leaderboard table, for the dashboard and the team screen.
import { h } from "./dom.js";

/** What a target can count, for the percent-to-target board and for targets. */
// Revenue first: the target most teams agree, so the one a board shows first.
export const METRICS = [
  ["revenue", "Revenue"],
  ["deals_won", "Deals won"],
  ["meetings", "Meetings"],
  ["points", "Points"],
];

export const BOARD_LABELS = [
  ["points", "Points"],
  ["percent_to_target", "Percent to target"],
  ["most_improved", "Most improved"],
];

const COLUMNS = {
  points: [["Points", (r) => r.points]],
  percent_to_target: [
    ["Actual", (r) => r.actual],
    ["Target", (r) => r.target ?? "No agreed target"],
    ["Progress", (r) => progress(r.percent)],
  ],
  most_improved: [
    ["Points", (r) => r.points],
    ["Before", (r) => r.previous_points],
    ["Change", (r) => signed(r.improvement)],
  ],
};

function signed(value) {
  return value > 0 ? `+${value}` : String(value);
}

function progress(percent) {
  if (percent === null || percent === undefined) return "—";
  const shown = Math.round(percent);
  return h(
    "span",
    { class: "progress" },
    h("meter", { min: 0, max: 100, value: Math.min(shown, 100), "aria-hidden": "true" }),
    ` ${shown}%`,
  );
}

/**
 * A table of ranked rows; `me` is highlighted; `previous` (user id → rank) marks movers;
 * with `profiles`, names link to each person's profile.
 */
export function boardTable(
  board,
  rows,
  { me, previous = new Map(), caption, profiles = false } = {},
) {
  const columns = COLUMNS[board] ?? COLUMNS.points;
  const head = h(
    "tr",
    {},
    h("th", { scope: "col" }, "Rank"),
    h("th", { scope: "col" }, "Name"),
    columns.map(([title]) => h("th", { scope: "col", class: "num" }, title)),
  );
  const body = rows.map((row) => {
    const before = previous.get(row.user_id);
    const moved = before !== undefined && row.rank !== null && before !== row.rank;
    const mine = Boolean(row.user_id) && row.user_id === me;
    const classes = [mine ? "me" : "", moved ? "moved" : ""];
    return h(
      "tr",
      { class: classes.join(" ").trim() || undefined, dataset: { userId: row.user_id ?? "" } },
      h(
        "td",
        { class: "rank" },
        row.rank ?? "–",
        moved && before > row.rank
          ? h(
              "span",
              { class: "up" },
              h("span", { "aria-hidden": "true" }, " ▲"),
              h("span", { class: "visually-hidden" }, " moved up"),
            )
          : null,
      ),
      h(
        "th",
        { scope: "row", class: "name" },
        profiles && row.user_id ? h("a", { href: `#/profile/${row.user_id}` }, row.name) : row.name,
        // The highlight is colour alone; a screen reader hears it too.
        mine ? h("span", { class: "visually-hidden" }, " (you)") : null,
      ),
      columns.map(([, value]) => h("td", { class: "num" }, value(row))),
    );
  });
  return h(
    "table",
    { class: "board" },
    caption && h("caption", {}, caption),
    h("thead", {}, head),
    h(
      "tbody",
      {},
      body.length
        ? body
        : h("tr", {}, h("td", { colspan: 2 + columns.length }, "Nobody on this board yet.")),
    ),
  );
}

/** Remember each person's rank, to mark who moved on the next update. */
export function ranksOf(rows) {
  return new Map(rows.filter((r) => r.user_id).map((r) => [r.user_id, r.rank]));
}

/** Say which scoring rules a board was counted with (version 0: the shipped defaults). */
export function rulesLabel(version) {
  return version ? `scoring rules v${version}` : "default scoring rules";
}
