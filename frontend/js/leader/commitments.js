// The leader's "Team commitments" card: every open commitment, soonest due first,
// with "Call out" and "Mark missed" for each.
import { get, post } from "../api.js";
import { exactTime, h, replace, timeNode } from "../dom.js";
import { bindForm, field } from "../forms.js";
import { syncKeyed } from "../keyed_list.js";
import { loadError } from "../notices.js";
import { loader } from "../refresh.js";
import { toast } from "../toast.js";

/** The card and its `refresh()`; `onMissed()` runs after a commitment is marked missed. */
export function commitmentsSection(team, ctx, onMissed) {
  const failed = loadError();
  const summary = h("p", { class: "muted" });
  const list = h("ul", { class: "plain team-commitments" });
  const redraw = new WeakMap(); // item → function drawing a newer state of it
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
    syncKeyed(list, open, {
      stamp: (c) => `${c.version}:${c.overdue}`,
      build: (c) => commitmentItem(c),
      update: (item, c) => redraw.get(item)(c),
      empty: "No open commitments in the team.",
    });
  }

  const refresh = loader(
    () => get("/commitments", { team_id: team.id, status: "open" }),
    show,
    failed,
    "Could not load this",
  );

  function commitmentItem(c) {
    const head = h("div", {});
    const headingId = `commitment-${c.id}`;
    const callOut = actionForm(
      "Call out",
      "note",
      "Note",
      "Send call-out",
      `/commitments/${c.id}/call-out`,
      async () => {
        toast("Called out, on the record.", "success");
        await refresh();
      },
    );
    const miss = actionForm(
      "Mark missed",
      "reason",
      "Reason",
      "Mark missed",
      `/commitments/${c.id}/miss`,
      async () => {
        toast("Marked missed.", "success");
        await Promise.all([refresh(), onMissed()]);
      },
    );
    const item = h(
      "li",
      {
        class: "item team-commitment",
        "aria-labelledby": headingId,
        dataset: { commitmentId: c.id },
      },
      head,
      h("div", { class: "actions" }, callOut, miss),
    );
    const draw = (state) => {
      replace(head, commitmentHead(state, headingId, ctx));
      // The owner cannot mark their own commitment missed, and only once it is overdue.
      miss.hidden = !state.overdue || state.owner_id === ctx.user.id;
    };
    draw(c);
    redraw.set(item, draw);
    return item;
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

/** A one-field command behind a disclosure: "Call out" {note}, "Mark missed" {reason}. */
function actionForm(summary, name, label, submit, path, onDone) {
  const form = h(
    "form",
    { class: "inline-action" },
    field(label, name, { control: "textarea", rows: 2, maxlength: 4000 }),
    h("button", { type: "submit" }, submit),
  );
  const details = h("details", { class: "action-details" }, h("summary", {}, summary), form);
  bindForm(
    form,
    (values, key) => post(path, { [name]: values[name] }, { key }),
    async () => {
      details.open = false;
      await onDone();
    },
  );
  return details;
}
