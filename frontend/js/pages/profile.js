// A person's profile: badges and why they were earned, say/do reliability, points
// with every receipt behind them, and (on one's own) the team-screen preference.
import { get, put } from "../api.js";
import { h, replace } from "../dom.js";
import { bindForm, field } from "../forms.js";
import { onLive } from "../live.js";
import { PERIOD_LABELS, periodNames } from "../periods.js";
import { badgeGrid, receiptsTable, sourceLabels } from "../receipts.js";

const REFRESH_MS = 150;

export default {
  title: "Profile",
  async render(main, ctx, userId) {
    const me = !userId || userId === ctx.user.id;
    const id = me ? ctx.user.id : userId;
    let name = ctx.user.name;
    if (!me) {
      try {
        name = (await get(`/users/${id}`)).name;
      } catch (error) {
        main.append(h("h1", {}, "Profile"), h("p", { class: "form-error", role: "alert" }, error.message));
        return undefined;
      }
    }

    const state = { period: "month", labels: Promise.resolve(new Map()), definitions: null };
    const reliabilityBox = h("div", { class: "reliability" });
    const badgesBox = h("div", { class: "badges-box" });
    const totalLine = h("p", { class: "points-total", "aria-live": "polite" });
    const receiptsBox = h("div", { class: "receipts-box" });
    const periodForm = h("form", { class: "controls", "aria-label": "Which points" }, field("Period", "period", { control: "select", options: PERIOD_LABELS }));
    periodForm.elements.period.value = state.period;

    main.append(
      h("h1", {}, name),
      h("p", { class: "lead" }, me ? "Your badges, your say/do record and your points, with the receipts behind them." : `${name}'s badges, say/do record and points, with the receipts behind them.`),
      h(
        "div",
        { class: "grid-2" },
        h("section", { class: "card", "aria-labelledby": "reliability-title" }, h("h2", { id: "reliability-title" }, "Reliability"), reliabilityBox),
        me && preferencesCard(),
      ),
      h("section", { class: "card", "aria-labelledby": "badges-title" }, h("h2", { id: "badges-title" }, "Badges"), badgesBox),
      h("section", { class: "card", "aria-labelledby": "points-title" }, h("h2", { id: "points-title" }, "Points explained"), periodForm, totalLine, receiptsBox),
    );

    async function loadBadges() {
      state.definitions ??= get("/badges").catch((error) => {
        state.definitions = null; // ask again next time
        throw error;
      });
      const [awards, definitions, labels] = await Promise.all([get(`/users/${id}/badges`), state.definitions, state.labels]);
      const multiTeam = new Set(awards.map((a) => a.team_id)).size > 1;
      const teamName = (teamId) => ctx.teams.find((t) => t.id === teamId)?.name ?? "another team";
      return () => replace(badgesBox, badgeGrid(awards, definitions, labels, { multiTeam, teamName }));
    }

    async function loadPoints() {
      const period = periodNames(ctx.team?.timezone ?? "UTC")[state.period];
      const [points, labels] = await Promise.all([get(`/users/${id}/points`, { period, explain: true }), state.labels]).catch((error) => {
        totalLine.textContent = "";
        throw error;
      });
      const when = points.period === "all" ? "all time" : points.period;
      return () => {
        replace(totalLine, h("strong", { class: "total-figure" }, String(points.total)), ` points in ${when}`);
        replace(receiptsBox, receiptsTable(points, labels));
      };
    }

    async function loadReliability() {
      const figures = reliabilityFigures(await get(`/users/${id}/reliability`));
      return () => replace(reliabilityBox, figures);
    }

    /**
     * Load a section and show it, unless a newer load of it has begun meanwhile
     * (answers can arrive out of order); a refusal shows in the section alone.
     */
    const turns = new Map();
    async function section(box, load) {
      const turn = (turns.get(box) ?? 0) + 1;
      turns.set(box, turn);
      try {
        const show = await load();
        if (turns.get(box) === turn) show();
      } catch (error) {
        if (turns.get(box) === turn) replace(box, h("p", { class: "form-error", role: "alert" }, error.message));
      }
    }

    function loadAll() {
      state.labels = sourceLabels(id);
      return Promise.all([section(reliabilityBox, loadReliability), section(badgesBox, loadBadges), section(receiptsBox, loadPoints)]);
    }

    let timer = null;
    function refreshSoon() {
      clearTimeout(timer);
      timer = setTimeout(loadAll, REFRESH_MS);
    }

    periodForm.addEventListener("change", () => {
      state.period = periodForm.elements.period.value;
      section(receiptsBox, loadPoints);
    });
    periodForm.addEventListener("submit", (event) => event.preventDefault());

    const stops = [
      onLive("badge", (push) => push.user_id === id && refreshSoon()),
      onLive("leaderboard", (push) => push.rows?.some((row) => row.user_id === id) && refreshSoon()),
      onLive("commitment", (push) => push.owner_id === id && refreshSoon()),
      onLive("resync", refreshSoon),
    ];
    await loadAll();
    return () => {
      clearTimeout(timer);
      for (const stop of stops) stop();
    };
  },
};

/** Kept, missed, open and overdue commitments, the say/do ratio and the streaks. */
function reliabilityFigures(r) {
  const ratio = r.say_do_ratio === null || r.say_do_ratio === undefined ? "—" : `${Math.round(r.say_do_ratio * 100)}%`;
  const figures = [
    ["kept", "Kept", r.kept],
    ["missed", "Missed", r.missed],
    ["open", "Open", r.open],
    ["overdue", "Overdue", r.overdue],
    ["say_do_ratio", "Say/do ratio", ratio],
    ["streak", "Current streak", r.streak],
    ["best_streak", "Best streak", r.best_streak],
  ];
  return [
    h(
      "dl",
      { class: "stats" },
      figures.map(([key, label, value]) => {
        const warn = (key === "overdue" || key === "missed") && value > 0;
        return h("div", { class: `stat stat-${key}${warn ? " warn" : ""}` }, h("dt", {}, label), h("dd", { dataset: { stat: key } }, String(value)));
      }),
    ),
    h(
      "p",
      { class: "hint" },
      r.say_do_ratio === null || r.say_do_ratio === undefined
        ? "The say/do ratio appears once a commitment is kept or missed."
        : "Say/do ratio: kept out of kept and missed. A streak counts commitments kept in a row; a withdrawal does not break it.",
    ),
  ];
}

/** One's own choice to be shown as "A teammate" on the team screen. */
function preferencesCard() {
  const status = h("p", { class: "hint pref-status", role: "status" });
  const form = h(
    "form",
    { class: "preferences" },
    field("Hide my name on the team screen", "hide_on_team_screen", {
      type: "checkbox",
      hint: "The TV on the sales floor then shows you as “A teammate”. Your team still sees your name here.",
    }),
    status,
  );
  const box = form.elements.hide_on_team_screen;
  const show = (hidden, saved = false) => {
    box.checked = box.defaultChecked = hidden;
    const now = hidden ? "Your name is hidden on the team screen." : "Your name shows on the team screen.";
    status.textContent = saved ? `Saved. ${now}` : now;
  };
  bindForm(
    form,
    async (values) => {
      try {
        return await put("/me/preferences", { hide_on_team_screen: values.hide_on_team_screen });
      } catch (error) {
        status.textContent = ""; // the refusal shows at the top of the form
        throw error;
      }
    },
    (result) => show(result.hide_on_team_screen, true),
  );
  box.addEventListener("change", () => {
    status.textContent = "Saving…";
    form.requestSubmit();
  });
  box.disabled = true;
  get("/me/preferences")
    .then((prefs) => show(prefs.hide_on_team_screen))
    .catch((error) => (status.textContent = `Could not read your preferences: ${error.message}`))
    .finally(() => (box.disabled = false));
  return h("section", { class: "card", "aria-labelledby": "preferences-title" }, h("h2", { id: "preferences-title" }, "Team screen"), form);
}
