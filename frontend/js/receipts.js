// Receipts: a person's badges and points, each with what earned it, linked where it can be.
import { get } from "./api.js";
import { eventName, exactTime, h, humanize } from "./dom.js";

const TIERS = ["bronze", "silver", "gold"];

// What a badge counter counts, i.e. what kind of thing its source ids are.
const COUNTER_SOURCES = {
  commitments_kept: "commitment",
  kept_streak: "commitment",
  kept_days: "commitment",
  deals_won: "achievement",
  revenue: "achievement",
  endorsements_received: "endorsement",
  endorsements_given: "endorsement",
  deal_review_feedback: "deal_review",
  check_ins_acknowledged: "check_in",
  charter_acknowledgements: "charter",
  recognitions_received: "recognition",
  targets_agreed: "target",
};
// A receipt's event type starts with the kind of thing that earned it.
const EVENT_SOURCES = [
  ["Commitment", "commitment"],
  ["Achievement", "achievement"],
  ["Endorsement", "endorsement"],
  ["Recognition", "recognition"],
  ["DealReview", "deal_review"],
  ["Charter", "charter"],
  ["Mentorship", "check_in"],
  ["Target", "target"],
];
// Where a kind of source can be looked at: its own page, or the page listing it.
const SOURCE_LINKS = {
  commitment: (id) => `#/commitments/${id}`,
  charter: () => "#/charter",
  target: () => "#/targets",
  check_in: () => "#/mentoring",
};

/** A medal in the tier's colour (blue for an untiered badge), drawn by CSS. */
function medal(tier) {
  return h("span", { class: `medal-icon ${tier ?? "untiered"}`, "aria-hidden": "true" }, "★");
}

/**
 * Fetch what names a person's sources: their commitments' titles and achievements.
 * Returns a Map id → label; whatever cannot be read just stays unnamed.
 */
export async function sourceLabels(userId) {
  const labels = new Map();
  const [commitments, achievements] = await Promise.all([
    get("/commitments", { owner_id: userId }).catch(() => []),
    get("/achievements", { user_id: userId }).catch(() => []),
  ]);
  for (const c of commitments) labels.set(c.id, `“${c.title}”`);
  for (const a of achievements) {
    const amount = a.value ? ` ${a.value}${a.currency ? ` ${a.currency}` : ""}` : "";
    labels.set(a.id, `${humanize(a.kind)}${amount}`);
  }
  return labels;
}

const KIND_NAMES = {
  charter: "Team charter",
  check_in: "Mentor check-in",
  deal_review: "Deal review",
};

/** A source as a link to where it can be seen, or as plain text. */
function sourceNode(kind, id, labels) {
  const name = KIND_NAMES[kind] ?? humanize(kind ?? "source");
  const named = labels.get(id);
  const text = named ? `${name} ${named}` : `${name} ${id.slice(0, 8)}`;
  const link = SOURCE_LINKS[kind];
  if (link) return h("a", { href: link(id), title: id }, text);
  return h("span", { class: "source", title: id }, text);
}

function sourceOfEvent(type) {
  return EVENT_SOURCES.find(([prefix]) => String(type).startsWith(prefix))?.[1];
}

/**
 * The badges a person holds, one card per badge with a medal per tier earned,
 * when each was awarded and why; then the badges not earned yet.
 */
export function badgeGrid(
  awards,
  definitions,
  labels,
  { multiTeam = false, teamName = () => "" } = {},
) {
  const byKey = new Map();
  for (const award of awards) {
    if (!byKey.has(award.badge)) byKey.set(award.badge, []);
    byKey.get(award.badge).push(award);
  }
  const defined = new Map(definitions.map((d) => [d.key, d]));
  const cards = [...byKey].map(([key, held]) =>
    badgeCard(defined.get(key) ?? { key, name: held[0].name }, held, labels, multiTeam, teamName),
  );
  const notYet = definitions.filter((d) => !byKey.has(d.key));
  return [
    cards.length
      ? h("ul", { class: "badges" }, cards)
      : h(
          "p",
          { class: "empty" },
          "No badges yet. Keeping commitments is the quickest way to a first one.",
        ),
    notYet.length > 0 &&
      h(
        "details",
        { class: "badges-to-earn" },
        h("summary", {}, `Badges not earned yet (${notYet.length})`),
        h(
          "ul",
          { class: "plain" },
          notYet.map((d) =>
            h(
              "li",
              { class: "item" },
              h("span", { class: "item-title" }, d.name),
              " — ",
              d.description,
              " ",
              h("span", { class: "muted" }, needs(d)),
            ),
          ),
        ),
      ),
  ];
}

function needs(definition) {
  if (!definition.tiers) return definition.threshold ? `(needs ${definition.threshold})` : "";
  return `(${TIERS.map((t) => `${humanize(t)} ${definition.tiers[t]}`).join(" · ")})`;
}

function badgeCard(definition, held, labels, multiTeam, teamName) {
  const rank = (a) => TIERS.indexOf(a.tier);
  const sorted = [...held].sort((a, b) => rank(a) - rank(b));
  const best = sorted.at(-1).tier;
  const kind = COUNTER_SOURCES[definition.counter];
  const earned = new Set(sorted.map((a) => a.tier));
  const next = definition.tiers ? TIERS.find((t) => !earned.has(t)) : undefined;
  const medals = definition.tiers ? sorted.map((a) => medal(a.tier)) : medal(null);
  return h(
    "li",
    { class: `badge ${best ?? "untiered"}`, dataset: { badge: definition.key } },
    h("div", { class: "medal", "aria-hidden": "true" }, medals),
    h("h3", { class: "badge-name" }, definition.name),
    definition.description && h("p", { class: "muted badge-description" }, definition.description),
    h(
      "ul",
      { class: "plain badge-awards" },
      sorted.map((award) =>
        h(
          "li",
          { class: "badge-award" },
          award.tier
            ? h(
                "span",
                { class: `tier tier-${award.tier}` },
                medal(award.tier),
                ` ${humanize(award.tier)}`,
              )
            : h("span", { class: "tier" }, "Earned"),
          " · ",
          exactTime(award.awarded_at),
          multiTeam && h("span", { class: "muted" }, ` · ${teamName(award.team_id)}`),
          award.source_ids.length > 0 &&
            h(
              "details",
              { class: "why" },
              h("summary", {}, "Why"),
              h(
                "ul",
                { class: "plain" },
                award.source_ids.map((id) => h("li", {}, sourceNode(kind, id, labels))),
              ),
            ),
        ),
      ),
    ),
    next && h("p", { class: "hint" }, `Next: ${humanize(next)} at ${definition.tiers[next]}`),
  );
}

/** The receipts behind a points total, oldest first, with the total underneath. */
export function receiptsTable(points, labels) {
  const rows = points.receipts ?? [];
  if (!rows.length) return h("p", { class: "empty" }, "No points in this period yet.");
  return h(
    "div",
    { class: "table-scroll" },
    h(
      "table",
      { class: "receipts" },
      h(
        "caption",
        {},
        `Every award behind the total for ${points.period === "all" ? "all time" : points.period}`,
      ),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ["Event", "When", "Points", "Rule", "Rule version", "Source"].map((title) =>
            h("th", { scope: "col", class: title === "Points" ? "num" : undefined }, title),
          ),
        ),
      ),
      h(
        "tbody",
        {},
        rows.map((r) =>
          h(
            "tr",
            { class: r.points < 0 ? "negative" : undefined },
            h("td", {}, eventName(r.event_type)),
            h("td", {}, exactTime(r.at)),
            h("td", { class: "num points" }, r.points > 0 ? `+${r.points}` : String(r.points)),
            h("td", {}, h("code", {}, r.rule_key)),
            h("td", {}, r.rule_version ? `v${r.rule_version}` : "v0 (defaults)"),
            h("td", {}, sourceNode(sourceOfEvent(r.event_type), r.source_id, labels)),
          ),
        ),
      ),
      h(
        "tfoot",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "row", colspan: 2 }, "Total"),
          h("td", { class: "num total" }, String(points.total)),
          h("td", { colspan: 3 }),
        ),
      ),
    ),
  );
}
