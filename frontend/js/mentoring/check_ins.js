// What a mentorship card lists: its open action items (to tick off) and its check-ins,
// newest first (for the mentee to acknowledge).
import { post } from "../api.js";
import { formatDate, formatTime, h, timeNode } from "../dom.js";
import { actionButton } from "../forms.js";
import { toast } from "../toast.js";

/** The open action items of `m`, each with "Mark done"; `afterAction(message)` runs after. */
export function openItems(m, afterAction) {
  const open = m.check_ins.flatMap((c) => c.action_items.filter((i) => !i.done).map((i) => [c, i]));
  const rows = open.map(([c, item]) =>
    h(
      "li",
      { class: "item open-item", dataset: { itemId: item.id } },
      h("span", { class: "item-title" }, item.text),
      h("p", { class: "muted" }, `From the check-in of ${formatDate(c.held_on)}`),
      h(
        "div",
        { class: "actions" },
        actionButton(
          "Mark done",
          async () => {
            await post(`/mentorships/${m.id}/action-items/${item.id}/complete`);
            await afterAction("Action item done.");
          },
          {
            onError: (error) => toast(error.message, "error"),
            "aria-label": `Mark done: ${item.text}`,
          },
        ),
      ),
    ),
  );
  return h(
    "section",
    { class: "open-items", "aria-label": "Open action items" },
    h("h4", {}, "Open action items"),
    h(
      "ul",
      { class: "plain" },
      rows.length ? rows : h("li", { class: "empty" }, "No open action items."),
    ),
  );
}

/** The check-ins of `m`, newest first, as its mentor or mentee (`as`) sees them. */
export function checkIns(m, as, afterAction) {
  const newestFirst = [...m.check_ins].reverse();
  const rows = newestFirst.map((c) => checkInItem(m, c, as, afterAction));
  const none = as === "mentor" ? "No check-ins yet: log the first one." : "No check-ins yet.";
  return h(
    "section",
    { class: "check-ins", "aria-label": "Check-ins" },
    h("h4", {}, "Check-ins"),
    h("ol", { class: "plain" }, rows.length ? rows : h("li", { class: "empty" }, none)),
  );
}

function checkInItem(m, c, as, afterAction) {
  const day = formatDate(c.held_on);
  const acknowledged = c.acknowledged_at
    ? h(
        "span",
        { class: "pill done", title: `Acknowledged ${formatTime(c.acknowledged_at)}` },
        "Acknowledged",
      )
    : h(
        "span",
        { class: "pill pending" },
        as === "mentee" ? "Please acknowledge" : "Not acknowledged yet",
      );
  const acknowledge =
    as === "mentee" && !c.acknowledged_at
      ? actionButton(
          "Acknowledge",
          async () => {
            await post(`/mentorships/${m.id}/check-ins/${c.id}/acknowledge`);
            await afterAction("Check-in acknowledged.");
          },
          {
            class: "primary",
            onError: (error) => toast(error.message, "error"),
            "aria-label": `Acknowledge the check-in of ${day}`,
          },
        )
      : null;
  return h(
    "li",
    { class: "item check-in", dataset: { checkInId: c.id } },
    h("div", { class: "item-head" }, h("span", { class: "item-title" }, day), acknowledged),
    h("p", { class: "muted" }, `Confidence ${c.confidence} of 5 · logged `, timeNode(c.logged_at)),
    h("p", { class: "notes" }, c.notes),
    c.action_items.length > 0 &&
      h(
        "ul",
        { class: "action-list", "aria-label": "Action items" },
        c.action_items.map((i) =>
          h(
            "li",
            { class: i.done ? "done" : "" },
            h("span", { "aria-hidden": "true" }, i.done ? "✓ " : "○ "),
            i.text,
            i.done ? [" · done ", timeNode(i.done_at)] : " · open",
          ),
        ),
      ),
    acknowledge && h("div", { class: "actions" }, acknowledge),
  );
}
