// Targets, planned bottom-up: a rep proposes their own; the leader agrees it or
// revises it with a reason; every change is kept. Live on team pushes.
import { get, newRequestKey, post } from "../api.js";
import { METRICS } from "../board.js";
import { card, h, timeNode } from "../dom.js";
import { actionButton, bindForm, field } from "../forms.js";
import { syncKeyed } from "../keyed_list.js";
import { itemError, loadError, notInTeam, showItemError } from "../notices.js";
import { periodLabel, upcomingPeriods } from "../periods.js";
import { loader, refetchOn, teamPushes } from "../refresh.js";
import { toast } from "../toast.js";

// Agreed and revised targets reach the feed; a new proposal reaches the leaders
// through their at-risk push.
const LIVE_EVENTS = ["feed", "at_risk"];

export default {
  title: "Targets",
  async render(main, ctx) {
    const team = ctx.team;
    if (!team) return notInTeam(main, "Targets");
    const leader = ctx.isLeader();
    const member = team.role !== "admin";
    const errorBox = loadError();
    const lists = {};
    // Not live regions: a push would read whole lists out again; toasts say what happened.
    const listCard = (id, title, intro, label) => {
      lists[id] = h("ul", { class: "plain target-list", "aria-label": label });
      return card(`${id}-title`, title, intro && h("p", { class: "muted" }, intro), lists[id]);
    };

    main.append(
      h("h1", {}, "Targets"),
      h(
        "p",
        { class: "lead" },
        "Reps propose their own targets for a month, quarter or year; the leader agrees them or revises them with a reason.",
      ),
      errorBox,
      leader &&
        listCard(
          "agree",
          "Targets to agree",
          "Proposals waiting for you: agree them as they are, or revise them with a reason.",
          "Targets to agree",
        ),
      h(
        "div",
        { class: "grid-2" },
        card(
          "propose-title",
          "Propose a target",
          member
            ? proposeForm(team, () => load())
            : h("p", { class: "muted" }, "Only members of this team propose targets in it."),
        ),
        member && listCard("mine", "My targets", null, "My targets"),
      ),
      leader && listCard("team", "Team targets", null, "Team targets"),
    );

    const load = loader(
      () => get("/targets", { team_id: team.id, user_id: leader ? undefined : ctx.user.id }),
      (rows) => {
        const show = (id, items, options, empty) =>
          lists[id] &&
          syncKeyed(lists[id], items, { build: (t) => targetItem(t, ctx, load, options), empty });
        show(
          "mine",
          rows.filter((t) => t.user_id === ctx.user.id),
          {},
          "No targets yet — propose one above.",
        );
        show(
          "agree",
          rows.filter(
            (t) => t.status === "proposed" && (t.user_id !== ctx.user.id || ctx.user.is_admin),
          ),
          { owner: true, decide: true },
          "Nothing to agree: every proposal has been decided.",
        );
        show("team", rows, { owner: true }, "Nobody in the team has proposed a target yet.");
      },
      errorBox,
    );

    const stop = refetchOn(teamPushes(team.id, LIVE_EVENTS), load);
    await load();
    return stop;
  },
};

/** The rep's proposal: a metric, a period (this or next month, quarter, year), a value. */
function proposeForm(team, reload) {
  const form = h(
    "form",
    { class: "propose-target", "aria-labelledby": "propose-title" },
    field("Metric", "metric", { control: "select", options: METRICS }),
    field("Period", "period", {
      control: "select",
      options: upcomingPeriods(team.timezone ?? "UTC"),
    }),
    field("Target value", "value", {
      inputmode: "decimal",
      autocomplete: "off",
      hint: "Revenue as an amount (such as 45000); deals, meetings and points as a count.",
    }),
    h("div", { class: "buttons" }, h("button", { type: "submit" }, "Propose target")),
  );
  bindForm(
    form,
    (v, key) =>
      post(
        "/targets",
        {
          team_id: team.id,
          metric: v.metric,
          period: v.period,
          value: v.value.replaceAll(",", ""),
        },
        { key },
      ),
    async (target) => {
      toast(
        `Proposed: ${metricLabel(target.metric)} for ${periodLabel(target.period)}. Your leader will agree or revise it.`,
        "success",
      );
      await reload();
    },
  );
  return form;
}

function metricLabel(metric) {
  return METRICS.find(([key]) => key === metric)?.[1] ?? metric;
}

/** One target: value, status, who decided; its history; the leader's decision. */
function targetItem(t, ctx, reload, { owner = false, decide = false } = {}) {
  const who = t.user_id === ctx.user.id ? "You" : ctx.nameOf(t.user_id);
  const what = `${metricLabel(t.metric)} · ${periodLabel(t.period)}`;
  const revised = t.revision_count > 0;
  const errorBox = itemError();
  return h(
    "li",
    { class: "item target", dataset: { id: t.id, status: t.status } },
    h(
      "div",
      { class: "item-head" },
      h("span", { class: "item-title" }, owner ? `${who}: ${what}` : what),
      h(
        "span",
        { class: "pills" },
        h("span", { class: `pill ${t.status}` }, t.status),
        revised && h("span", { class: "pill revised" }, "revised"),
      ),
    ),
    h(
      "p",
      { class: "target-value" },
      "Target: ",
      h("strong", {}, t.value),
      t.proposed_value !== t.value &&
        h("span", { class: "muted" }, ` (proposed ${t.proposed_value})`),
    ),
    t.status === "agreed" &&
      h(
        "p",
        { class: "muted" },
        `${revised ? "Revised" : "Agreed"} by ${ctx.nameOf(t.decided_by)} `,
        t.decided_at && timeNode(t.decided_at),
      ),
    t.status === "proposed" &&
      !decide &&
      h("p", { class: "muted" }, "Waiting for the leader to agree it."),
    decide &&
      decisionActions(
        t,
        `${who === "You" ? "your" : `${who}'s`} ${metricLabel(t.metric).toLowerCase()} target for ${periodLabel(t.period)}`,
        reload,
        errorBox,
      ),
    historyDetails(t, ctx),
    errorBox,
  );
}

/** Agree at once, or revise with a value and a reason (the reason's error beside it). */
function decisionActions(t, whose, reload, errorBox) {
  const agree = actionButton(
    "Agree",
    async () => {
      await post(`/targets/${t.id}/agree`, {}, { key: newRequestKey(), ifMatch: t.version });
      toast(`Agreed ${whose}.`, "success");
      await reload();
    },
    {
      class: "primary",
      "aria-label": `Agree ${whose}`,
      onError: (error) => showItemError(errorBox, error),
    },
  );
  const form = h(
    "form",
    { class: "inline-form revise-target" },
    field("New value", "value", { inputmode: "decimal", autocomplete: "off", value: t.value }),
    field("Reason", "reason", {
      control: "textarea",
      maxlength: 2000,
      rows: 2,
      hint: "The rep sees why you changed it.",
    }),
    h("div", { class: "buttons" }, h("button", { type: "submit" }, "Revise")),
  );
  bindForm(
    form,
    (v, key) => {
      const body = { value: v.value.replaceAll(",", "") };
      if (v.reason) body.reason = v.reason; // left out when empty: "required" beside the field
      return post(`/targets/${t.id}/revise`, body, { key, ifMatch: t.version });
    },
    async () => {
      toast(`Revised ${whose}.`, "success");
      await reload();
    },
  );
  return h(
    "div",
    { class: "actions" },
    agree,
    h(
      "details",
      { class: "revise" },
      h("summary", { "aria-label": `Revise ${whose}…` }, "Revise…"),
      form,
    ),
  );
}

const HISTORY_TEXT = {
  TargetProposed: (d, who) => `${who} proposed ${d.value}`,
  TargetAgreed: (d, who) => `${who} agreed ${d.value}`,
  TargetRevised: (d, who) => `${who} revised it to ${d.value}: ${d.reason}`,
};

/** Every change of the target, fetched when first opened. */
function historyDetails(t, ctx) {
  const list = h("ol", { class: "timeline" }, h("li", { class: "muted" }, "Loading…"));
  const details = h("details", { class: "history" }, h("summary", {}, "History"), list);
  let loaded = false;
  details.addEventListener("toggle", async () => {
    if (!details.open || loaded) return;
    loaded = true;
    try {
      const events = await get(`/targets/${t.id}/history`);
      list.replaceChildren(
        ...events.map((e) => {
          const who = e.actor_id === ctx.user.id ? "You" : ctx.nameOf(e.actor_id);
          const text = HISTORY_TEXT[e.type]?.(e.data, who) ?? `${who}: ${e.type}`;
          return h("li", {}, text, " ", timeNode(e.at));
        }),
      );
    } catch (error) {
      loaded = false;
      list.replaceChildren(
        h(
          "li",
          { class: "form-error", role: "alert" },
          `Could not load the history: ${error.message}`,
        ),
      );
    }
  });
  return details;
}
