// The leader's "At risk" card: who needs help, grouped by person, with every reason.
import { get } from "../api.js";
import { h, replace, timeNode } from "../dom.js";
import { loadError } from "../notices.js";
import { loader } from "../refresh.js";

const RISK_LABELS = {
  overdue_commitment: "Overdue commitment",
  behind_pace: "Behind pace",
  no_recent_check_in: "No check-in for 30 days",
};

/** The card; `show(items)` takes an at_risk push (it carries the whole list), `refresh()` reads it. */
export function atRiskSection(team, ctx) {
  const failed = loadError();
  const box = h("div", { class: "at-risk" });
  const node = h(
    "section",
    { class: "card", "aria-labelledby": "risk-title" },
    h("h2", { id: "risk-title" }, "At risk"),
    h(
      "p",
      { class: "muted" },
      "Overdue commitments, targets behind pace and mentees without a check-in for 30 days.",
    ),
    failed,
    box,
  );
  const draw = (items) => replace(box, riskList(items, ctx));
  // A push is the whole truth too, and newer than an answer asked for before it.
  let pushes = 0;
  const refresh = loader(
    // `asked` is read before the request goes out: a push after it makes the answer old.
    async () => ({ asked: pushes, items: await get(`/teams/${team.id}/at-risk`) }),
    ({ asked, items }) => asked === pushes && draw(items),
    failed,
    "Could not load this",
  );
  const show = (items) => {
    pushes += 1;
    failed.textContent = "";
    draw(items);
  };
  return { node, show, refresh };
}

function riskList(items, ctx) {
  const people = new Map();
  for (const item of items) {
    if (!people.has(item.user_id)) people.set(item.user_id, []);
    people.get(item.user_id).push(item);
  }
  if (!people.size)
    return h(
      "p",
      { class: "empty" },
      "Nobody is at risk right now: nothing overdue, nobody behind pace.",
    );
  return h(
    "ul",
    { class: "plain" },
    [...people].map(([userId, reasons]) => personItem(userId, reasons, ctx)),
  );
}

function personItem(userId, reasons, ctx) {
  const name = reasons[0].name ?? ctx.nameOf(userId);
  const headingId = `risk-${userId}`;
  return h(
    "li",
    { class: "item risk-person", "aria-labelledby": headingId, dataset: { userId } },
    h(
      "div",
      { class: "item-head" },
      h(
        "h3",
        { class: "item-title", id: headingId },
        h("a", { href: `#/profile/${userId}` }, name),
      ),
      h(
        "span",
        { class: "pill overdue" },
        reasons.length === 1 ? "1 reason" : `${reasons.length} reasons`,
      ),
    ),
    h("ul", { class: "risk-reasons" }, reasons.map(reasonItem)),
  );
}

function reasonItem(item) {
  const label = h("strong", {}, `${RISK_LABELS[item.kind] ?? item.kind}: `);
  if (item.kind === "overdue_commitment") {
    return h(
      "li",
      { class: `risk ${item.kind}` },
      label,
      h("a", { href: `#/commitments/${item.subject_id}` }, item.detail),
      " · due ",
      timeNode(item.since),
    );
  }
  return h("li", { class: `risk ${item.kind}` }, label, item.detail);
}
