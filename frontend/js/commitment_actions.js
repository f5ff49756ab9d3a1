// A commitment's status, due line and commands (owner's and leader's), shared by
// the "My commitments" list and one commitment's page.
import { ApiError, post } from "./api.js";
import { ago, exactTime, formatTime, h, humanize } from "./dom.js";
import { bindForm, field, toIso } from "./forms.js";
import { syncKeyed } from "./keyed_list.js";
import { toast } from "./toast.js";

/** The status pill: open ones that are past due say so. */
export function statusPill(c) {
  const status = c.status === "open" && c.overdue ? "overdue" : c.status;
  return h("span", { class: `pill ${status}` }, humanize(status));
}

/** "Due 1 Dec 2026, 17:00 (in 2 days)", "Kept 7 Nov 2026, 11:00". */
export function dueLine(c) {
  if (c.status !== "open") {
    const when = c.closed_at ?? c.updated_at;
    return h(
      "span",
      { class: "due" },
      `${humanize(c.status)} `,
      exactTime(when),
      ` · was due ${formatTime(c.due_at)}`,
    );
  }
  const word = c.overdue ? "Overdue since" : "Due";
  return h(
    "span",
    { class: c.overdue ? "due overdue" : "due" },
    `${word} `,
    exactTime(c.due_at),
    ` (${ago(c.due_at)})`,
  );
}

const OWNER = [
  {
    path: "progress",
    summary: "Report progress",
    submit: "Save progress note",
    done: "Progress reported.",
    fields: () => [field("Progress note", "note", { control: "textarea", required: true })],
    body: (v) => ({ note: v.note }),
  },
  {
    path: "renegotiate",
    summary: "Renegotiate",
    submit: "Move due date",
    done: "Due date moved; the reason is on the record.",
    fields: () => [
      field("New due date and time", "due_at", { type: "datetime-local", required: true }),
      field("Reason", "reason", {
        control: "textarea",
        required: true,
        hint: "Kept on the record for the team.",
      }),
    ],
    body: (v) => ({ due_at: toIso(v.due_at), reason: v.reason }),
  },
  {
    path: "keep",
    summary: "Keep",
    submit: "Mark kept",
    done: "Commitment kept. Well done!",
    fields: () => [
      field("Evidence (optional)", "evidence", {
        control: "textarea",
        hint: "A link, a number, what was done.",
      }),
    ],
    body: (v) => ({ evidence: v.evidence || undefined }),
  },
  {
    path: "withdraw",
    summary: "Withdraw",
    submit: "Withdraw for good",
    done: "Commitment withdrawn.",
    danger: true,
    fields: () => [field("Reason", "reason", { control: "textarea", required: true })],
    body: (v) => ({ reason: v.reason }),
  },
];

const LEADER = [
  {
    path: "call-out",
    summary: "Call out",
    submit: "Call it out",
    done: "Called out, on the record.",
    danger: true,
    allowed: (c) => c.status === "open" || c.status === "missed",
    fields: () => [
      field("Note", "note", {
        control: "textarea",
        required: true,
        hint: "Said now, kept on the record.",
      }),
    ],
    body: (v) => ({ note: v.note }),
  },
  {
    path: "miss",
    summary: "Mark missed",
    submit: "Record as missed",
    done: "Marked missed.",
    danger: true,
    allowed: (c, ctx) => c.status === "open" && c.overdue && c.owner_id !== ctx.user.id,
    fields: () => [field("Reason", "reason", { control: "textarea", required: true })],
    body: (v) => ({ reason: v.reason }),
  },
];

/**
 * The commands `ctx.user` may give on `c`, each a <details> with its own small form:
 * the owner's (unless `owner` is false) and the leader's (unless `leader` is false).
 * `submits` renames submit buttons by command ({"call-out": "Send call-out"});
 * `onDone(result, command)` runs after one succeeded.
 */
export function commitmentActions(
  c,
  ctx,
  { onDone = () => {}, onStale = onDone, leader = true, owner = true, submits = {} } = {},
) {
  const mine = owner && c.owner_id === ctx.user.id && c.status === "open" ? OWNER : [];
  const led = leader && ctx.isLeader() ? LEADER.filter((a) => a.allowed(c, ctx)) : [];
  const actions = [...mine, ...led].map((a) => ({ ...a, submit: submits[a.path] ?? a.submit }));
  if (!actions.length) return null;
  return h(
    "div",
    { class: "actions commitment-actions", dataset: { version: c.version } },
    actions.map((action) => actionForm(c, action, onDone, onStale)),
  );
}

function actionForm(c, action, onDone, onStale) {
  const form = h(
    "form",
    { class: "action-form", "aria-label": `${action.summary}: ${c.title}` },
    action.fields(),
    h("button", { type: "submit", class: action.danger ? "danger" : undefined }, action.submit),
  );
  bindForm(
    form,
    async (values, key) => {
      try {
        return await post(`/commitments/${c.id}/${action.path}`, action.body(values), {
          key,
          ifMatch: c.version,
        });
      } catch (error) {
        if (error.code !== "version_conflict") throw error;
        onStale(); // what is shown was stale: show the truth, keeping what was typed
        throw new ApiError(
          409,
          error.code,
          "Someone changed this commitment meanwhile; it is up to date now. Check its timeline and send again.",
        );
      }
    },
    async (result) => {
      form.closest("details").open = false;
      toast(action.done, "success");
      await onDone(result, action.path);
    },
  );
  return h(
    "details",
    { class: action.danger ? "action danger" : "action", dataset: { action: action.path } },
    h("summary", {}, action.summary),
    form,
  );
}

/**
 * Open in `fresh` what was open in `old`, with what had been typed there: a teammate's
 * change re-renders the actions, and must not wipe a half-written note.
 */
export function carryOver(old, fresh) {
  if (!old || !fresh) return fresh;
  for (const details of old.querySelectorAll("details[open]")) {
    const twin = fresh.querySelector(`details[data-action="${details.dataset.action}"]`);
    if (!twin) continue;
    twin.open = true;
    const said = details.querySelector(".form-error")?.textContent;
    if (said) twin.querySelector(".form-error").textContent = said;
    for (const input of details.querySelectorAll("input, textarea, select")) {
      const target = twin.querySelector(`[name="${input.name}"]`);
      if (target) target.value = input.value;
    }
  }
  return fresh;
}

/**
 * Show commitments `items` in `list`, each built by `draw`: an unchanged one keeps its
 * node, and a changed one keeps what was open and typed in its actions.
 */
export function syncCommitments(list, items, draw, empty) {
  syncKeyed(list, items, {
    stamp: (c) => `${c.version}:${c.overdue}`,
    build: (c, old) => {
      const node = draw(c);
      carryOver(
        old?.querySelector(".commitment-actions"),
        node.querySelector(".commitment-actions"),
      );
      return node;
    },
    empty,
  });
}
