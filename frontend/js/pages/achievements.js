// Achievements: log one in the team; the team's list with statuses; the leader
// verifies; the owner or the leader retracts with a reason. Live on team pushes.
import { get, newRequestKey, post } from "../api.js";
import { card, formatDate, h, humanize, timeNode } from "../dom.js";
import { actionButton, bindForm, field } from "../forms.js";
import { syncKeyed } from "../keyed_list.js";
import { itemError, loadError, notInTeam, showItemError } from "../notices.js";
import { todayInTeam } from "../periods.js";
import { loader, refetchOn, teamPushes } from "../refresh.js";
import { toast } from "../toast.js";

// The kinds the API accepts (events/achievement.py KINDS); money kinds carry an amount.
const KINDS = [
  "deal_won",
  "revenue",
  "meeting",
  "training_completed",
  "certification",
  "case_study",
];
const MONEY_KINDS = new Set(["deal_won", "revenue"]);
const STATUSES = [
  ["", "Any status"],
  ["recorded", "Recorded (to verify)"],
  ["verified", "Verified"],
  ["retracted", "Retracted"],
];
// Recorded: a feed push; verified: feed and board; retracted: board (if it had points)
// and the leaders' at-risk push.
const LIVE_EVENTS = ["feed", "leaderboard", "at_risk"];

export default {
  title: "Achievements",
  async render(main, ctx) {
    const team = ctx.team;
    if (!team) return notInTeam(main, "Achievements");
    const filters = filterForm(team);
    const errorBox = loadError();
    // Not a live region: a push would read the whole list out again; toasts say what happened.
    const list = h("ul", { class: "plain achievement-list", "aria-label": "Team achievements" });
    const canRecord = team.role !== "admin";
    const logForm = canRecord ? recordForm(team, () => load()) : null;

    main.append(
      h("h1", {}, "Achievements"),
      h(
        "p",
        { class: "lead" },
        `What ${team.name} has done that counts. The leader verifies each one; verified achievements earn points.`,
      ),
      errorBox,
      h(
        "div",
        { class: "grid-2" },
        card(
          "log-title",
          "Log an achievement",
          logForm?.form ??
            h("p", { class: "muted" }, "Only members of this team log achievements in it."),
        ),
        card("list-title", "Team achievements", filters, list),
      ),
    );

    const load = loader(
      () =>
        get("/achievements", {
          team_id: team.id,
          user_id: filters.elements.user_id.value,
          status: filters.elements.status.value,
        }),
      (items) => {
        logForm?.suggestCurrency(items.find((a) => a.currency)?.currency);
        const empty =
          filters.elements.user_id.value || filters.elements.status.value
            ? "No achievements match these filters."
            : "No achievements yet — log the first one.";
        syncKeyed(list, items, { build: (a) => achievementItem(a, ctx, load), empty });
      },
      errorBox,
    );
    filters.addEventListener("change", load);
    filters.addEventListener("submit", (event) => event.preventDefault());

    const stop = refetchOn(teamPushes(team.id, LIVE_EVENTS), load);
    await load();
    return stop;
  },
};

/** Filters of the team list: whose, and in which status. */
function filterForm(team) {
  const people = [["", "Everyone"], ...(team.members ?? []).map((m) => [m.user_id, m.name])];
  return h(
    "form",
    { class: "controls", "aria-label": "Which achievements" },
    field("Person", "user_id", { control: "select", options: people }),
    field("Status", "status", { control: "select", options: STATUSES }),
  );
}

/** The form to log an achievement; amount and currency only for money kinds. */
function recordForm(team, reload) {
  // The server takes days up to today in the team's zone or in UTC, the later.
  const today = todayInTeam(team.timezone ?? "UTC");
  const form = h(
    "form",
    { class: "record-achievement", "aria-labelledby": "log-title" },
    field("Kind", "kind", { control: "select", options: KINDS.map((k) => [k, humanize(k)]) }),
    field("Amount", "value", {
      inputmode: "decimal",
      autocomplete: "off",
      hint: "The money it brought in, such as 12500.00.",
    }),
    field("Currency", "currency", {
      maxlength: 3,
      autocomplete: "off",
      hint: "A 3-letter code such as GBP or EUR.",
    }),
    field("Note", "note", {
      control: "textarea",
      maxlength: 2000,
      hint: "Optional: the customer, the course, what it was.",
    }),
    field("When it happened", "occurred_on", {
      type: "date",
      value: today.today,
      max: today.latest,
    }),
    h("div", { class: "buttons" }, h("button", { type: "submit" }, "Log achievement")),
  );
  const moneyFields = ["value", "currency"].map((name) =>
    form.querySelector(`[data-field=${name}]`),
  );
  function syncKind() {
    const money = MONEY_KINDS.has(form.elements.kind.value);
    for (const box of moneyFields) {
      box.hidden = !money;
      const input = box.querySelector("input");
      input.disabled = !money; // left out of the values: the API counts 1
      input.required = money;
    }
  }
  form.elements.kind.addEventListener("change", syncKind);
  syncKind();

  bindForm(
    form,
    (v, key) => {
      const body = { team_id: team.id, kind: v.kind };
      if (MONEY_KINDS.has(v.kind)) {
        if (v.value) body.value = v.value.replaceAll(",", "");
        if (v.currency) body.currency = v.currency.toUpperCase();
      }
      if (v.note) body.note = v.note;
      if (v.occurred_on) body.occurred_on = v.occurred_on;
      return post("/achievements", body, { key });
    },
    async (created) => {
      syncKind();
      toast(`Logged: ${humanize(created.kind)}. Your leader can verify it now.`, "success");
      await reload();
    },
  );

  return {
    form,
    /** Offer the team's currency when none was typed yet. */
    suggestCurrency(code) {
      const input = form.elements.currency;
      if (code && !input.getAttribute("value")) {
        input.setAttribute("value", code);
        if (!input.value && document.activeElement !== input) input.value = code;
      }
    },
  };
}

/** One achievement with its status, who decided, and the actions the viewer may take. */
function achievementItem(a, ctx, reload) {
  const mine = a.user_id === ctx.user.id;
  const what = `${mine ? "your" : `${ctx.nameOf(a.user_id)}'s`} ${humanize(a.kind).toLowerCase()} of ${formatDate(a.occurred_on)}`;
  const errorBox = itemError();
  const onError = (error) => showItemError(errorBox, error);
  const actions = [];
  if (a.status === "recorded" && ctx.isLeader() && (!mine || ctx.user.is_admin)) {
    actions.push(
      actionButton(
        "Verify",
        async () => {
          await post(
            `/achievements/${a.id}/verify`,
            {},
            { key: newRequestKey(), ifMatch: a.version },
          );
          toast(
            `Verified ${ctx.nameOf(a.user_id)}'s ${humanize(a.kind).toLowerCase()}.`,
            "success",
          );
          await reload();
        },
        {
          onError,
          class: "primary",
          "aria-label": `Verify ${ctx.nameOf(a.user_id)}'s ${humanize(a.kind).toLowerCase()}`,
        },
      ),
    );
  }
  if (a.status !== "retracted" && (mine || ctx.isLeader())) {
    actions.push(retractForm(a, what, reload));
  }

  return h(
    "li",
    { class: "item achievement", dataset: { id: a.id, status: a.status } },
    h(
      "div",
      { class: "item-head" },
      h("span", { class: "item-title" }, humanize(a.kind), amountText(a)),
      h("span", { class: `pill ${a.status}` }, a.status),
    ),
    h(
      "p",
      { class: "muted item-meta" },
      mine ? "You" : ctx.nameOf(a.user_id),
      " · ",
      formatDate(a.occurred_on),
    ),
    a.note && h("p", { class: "note" }, a.note),
    a.status === "verified" &&
      h(
        "p",
        { class: "muted" },
        `Verified by ${ctx.nameOf(a.verified_by)} `,
        timeNode(a.verified_at),
      ),
    a.status === "retracted" &&
      h(
        "p",
        { class: "muted" },
        `Retracted by ${ctx.nameOf(a.retracted_by)} `,
        timeNode(a.retracted_at),
        `: ${a.retraction_reason}`,
      ),
    actions.length ? h("div", { class: "actions" }, actions) : null,
    errorBox,
  );
}

/**
 * "Retract…": a reason, then the command; the reason's error shows beside it. Both
 * name the achievement (`what`, "Ravi Shah's deal won of 24 Nov 2026") for screen readers.
 */
function retractForm(a, what, reload) {
  const form = h(
    "form",
    { class: "inline-form", "aria-label": `Retract ${what}` },
    field("Why retract it?", "reason", { control: "textarea", maxlength: 2000, rows: 2 }),
    h(
      "div",
      { class: "buttons" },
      h("button", { type: "submit", class: "danger", "aria-label": `Retract ${what}` }, "Retract"),
    ),
  );
  bindForm(
    form,
    (v, key) =>
      post(`/achievements/${a.id}/retract`, v.reason ? { reason: v.reason } : {}, {
        key,
        ifMatch: a.version,
      }),
    async () => {
      toast("Achievement retracted.", "info");
      await reload();
    },
  );
  return h(
    "details",
    { class: "retract" },
    h("summary", { "aria-label": `Retract ${what}…` }, "Retract…"),
    form,
  );
}

/** " · 24000.00 GBP" for money, " × 3" for counts above one. */
function amountText(a) {
  if (a.currency) return ` · ${a.value} ${a.currency}`;
  return a.value && a.value !== "1" ? ` × ${a.value}` : "";
}
