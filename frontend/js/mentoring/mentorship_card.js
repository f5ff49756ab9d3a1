// One mentorship as a card: its state, its open action items and check-ins, and (for
// its mentor, while it is active) the check-in form. A newer state redraws it in place.
import { formatDate, formatDay, h, replace, timeNode, uid } from "../dom.js";
import { toast } from "../toast.js";
import { checkInForm } from "./check_in_form.js";
import { checkIns, openItems } from "./check_ins.js";

const redraws = new WeakMap(); // card → function drawing a newer state of it

/**
 * The card of mentorship `m` as its "mentor" or "mentee" (`as`) sees it; `partner(m)`
 * names the other person; `refresh()` reads the mentorships again after a command.
 */
export function mentorshipCard(m, as, partner, refresh) {
  const titleId = uid("mentorship");
  const head = h("div", { class: "mentorship-head" });
  const activity = h("div", {
    class: as === "mentor" ? "mentorship-activity" : "mentorship-activity grid-2",
  });
  const logSection = as === "mentor" ? checkInSection(m, partner(m), refresh) : null;
  const card = h(
    "article",
    { class: "card mentorship", "aria-labelledby": titleId, dataset: { mentorshipId: m.id } },
    head,
    as === "mentor" ? h("div", { class: "grid-2" }, logSection, activity) : activity,
  );
  const afterAction = async (message) => {
    toast(message, "success");
    await refresh();
    card.querySelector("h3")?.focus();
  };
  const draw = (state) => {
    replace(head, cardHead(state, as, partner(state), titleId));
    replace(
      activity,
      as === "mentor"
        ? [openItems(state, afterAction), checkIns(state, as, afterAction)]
        : [checkIns(state, as, afterAction), openItems(state, afterAction)],
    );
    if (state.status !== "active") logSection?.remove();
  };
  draw(m);
  redraws.set(card, draw);
  return card;
}

/** Draw a newer state `m` in its `card`; the check-in form, and what is typed in it, stay. */
export function redrawCard(card, m) {
  redraws.get(card)(m);
}

function checkInSection(m, name, refresh) {
  const form = checkInForm(m, name, async () => {
    toast(`Check-in with ${name} logged.`, "success");
    await refresh();
  });
  const headingId = uid("log");
  return h(
    "section",
    { class: "log-check-in", "aria-labelledby": headingId },
    h("h4", { id: headingId }, "Log a check-in"),
    form,
  );
}

function cardHead(m, as, name, titleId) {
  const since = `Your ${as === "mentor" ? "mentee" : "mentor"} since ${formatDay(m.created_at)}`;
  return [
    h(
      "div",
      { class: "item-head" },
      h("h3", { id: titleId, tabindex: "-1" }, name),
      h(
        "span",
        { class: `pill ${m.status === "active" ? "open" : "withdrawn"}` },
        m.status === "active" ? "Active" : "Ended",
      ),
    ),
    h("p", { class: "muted" }, since),
    m.goals && h("p", {}, h("strong", {}, "Goals: "), m.goals),
    m.status !== "active" &&
      h(
        "p",
        {},
        h("strong", {}, "Ended: "),
        m.end_reason ?? "",
        " ",
        m.ended_at && timeNode(m.ended_at),
      ),
    h(
      "dl",
      { class: "data" },
      h("dt", {}, "Check-ins"),
      h("dd", {}, m.check_in_count),
      h("dt", {}, "Last check-in"),
      h("dd", {}, m.last_check_in_on ? formatDate(m.last_check_in_on) : "None yet"),
      h("dt", {}, "Open action items"),
      h("dd", {}, m.open_action_item_count),
      h("dt", {}, "Not acknowledged"),
      h("dd", {}, m.unacknowledged_count),
    ),
  ];
}
