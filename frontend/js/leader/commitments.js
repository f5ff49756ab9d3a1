// The leader's "Team commitments" card: every open commitment, soonest due first,
// with "Call out" and (once overdue) "Mark missed" for each: the leader's commands of
// commitment_actions.js, sent with the commitment's version as If-Match.
import { get } from "../api.js";
import { exactTime, h, timeNode } from "../dom.js";
import { commitmentActions, syncCommitments } from "../commitment_actions.js";
import { loadError } from "../notices.js";
import { loader } from "../refresh.js";

/** The card and its `refresh()`; `onMissed()` runs after a commitment is marked missed. */
export function commitmentsSection(team, ctx, onMissed) {
  const failed = loadError();
  const summary = h("p", { class: "muted" });
  const list = h("ul", { class: "plain team-commitments" });
  const node = h(
    "section",
    { class: "card", "aria-labelledby": "team-commitments-title" },
    h("h2", { id: "team-commitments-title" }, "Team commitments"),
    failed,
    h("div", {}, summary, list),
  );

  function show(open) {
    const overdue = open.filter((c) => c.overdue).length;
    summary.textContent = open.length
      ? `${open.length} open, ${overdue} overdue, soonest due first.`
      : "";
    syncCommitments(list, open, commitmentItem, "No open commitments in the team.");
  }

  const refresh = loader(
    () => get("/commitments", { team_id: team.id, status: "open" }),
    show,
    failed,
    "Could not load this",
  );

  function commitmentItem(c) {
    const headingId = `commitment-${c.id}`;
    return h(
      "li",
      {
        class: "item team-commitment",
        "aria-labelledby": headingId,
        dataset: { commitmentId: c.id },
      },
      commitmentHead(c, headingId, ctx),
      commitmentActions(c, ctx, {
        owner: false,
        submits: { "call-out": "Send call-out" },
        onDone: async (_result, command) => {
          await Promise.all([refresh(), command === "miss" && onMissed()]);
        },
      }),
    );
  }

  return { node, refresh };
}

function commitmentHead(c, headingId, ctx) {
  const calledOut =
    c.call_out_count === 1 ? "Called out once" : `Called out ${c.call_out_count} times`;
  return [
    h(
      "div",
      { class: "item-head" },
      h(
        "h3",
        { class: "item-title", id: headingId },
        h("a", { href: `#/commitments/${c.id}` }, c.title),
      ),
      h(
        "span",
        { class: `pill ${c.overdue ? "overdue" : "open"}` },
        c.overdue ? "overdue" : "open",
      ),
    ),
    h(
      "p",
      { class: "muted" },
      ctx.nameOf(c.owner_id),
      " · due ",
      exactTime(c.due_at),
      " (",
      timeNode(c.due_at),
      ")",
      c.call_out_count > 0 ? ` · ${calledOut}` : "",
    ),
  ];
}
