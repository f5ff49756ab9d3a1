// A person's profile: badges and why they were earned, say/do reliability, points
// with every receipt behind them, and (on one's own) the team-screen preference and
// the password.
import { get, put } from "../api.js";
import { h, replace } from "../dom.js";
import { bindForm, field } from "../forms.js";
import { loadError } from "../notices.js";
import { changePasswordCard } from "../passwords.js";
import { PERIOD_LABELS, periodNames } from "../periods.js";
import { badgeGrid, receiptsTable, sourceLabels } from "../receipts.js";
import { loader, refetchOn } from "../refresh.js";

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
        main.append(h("h1", {}, "Profile"), loadError(error.message));
        return undefined;
      }
    }

    const state = { period: "month", labels: Promise.resolve(new Map()), definitions: null };
    const reliabilityBox = h("div", { class: "reliability" });
    const badgesBox = h("div", { class: "badges-box" });
    const totalLine = h("p", { class: "points-total", "aria-live": "polite" });
    const receiptsBox = h("div", { class: "receipts-box" });
    // A refusal shows in its own section alone, as the message itself.
    const failed = { reliability: loadError(), badges: loadError(), points: loadError() };
    const periodForm = h(
      "form",
      { class: "controls", "aria-label": "Which points" },
      field("Period", "period", { control: "select", options: PERIOD_LABELS }),
    );
    periodForm.elements.period.value = state.period;

    main.append(
      h("h1", {}, name),
      h(
        "p",
        { class: "lead" },
        me
          ? "Your badges, your say/do record and your points, with the receipts behind them."
          : `${name}'s badges, say/do record and points, with the receipts behind them.`,
      ),
      h(
        "div",
        { class: "grid-2" },
        h(
          "section",
          { class: "card", "aria-labelledby": "reliability-title" },
          h("h2", { id: "reliability-title" }, "Reliability"),
          failed.reliability,
          reliabilityBox,
        ),
        me && preferencesCard(),
      ),
      h(
        "section",
        { class: "card", "aria-labelledby": "badges-title" },
        h("h2", { id: "badges-title" }, "Badges"),
        failed.badges,
        badgesBox,
      ),
      h(
        "section",
        { class: "card", "aria-labelledby": "points-title" },
        h("h2", { id: "points-title" }, "Points explained"),
        periodForm,
        totalLine,
        failed.points,
        receiptsBox,
      ),
      me && changePasswordCard(),
    );

    async function fetchBadges() {
      state.definitions ??= get("/badges").catch((error) => {
        state.definitions = null; // ask again next time
        throw error;
      });
      const [awards, definitions, labels] = await Promise.all([
        get(`/users/${id}/badges`),
        state.definitions,
        state.labels,
      ]);
      return { awards, definitions, labels };
    }

    const teamName = (teamId) => ctx.teams.find((t) => t.id === teamId)?.name ?? "another team";

    function showBadges({ awards, definitions, labels }) {
      const multiTeam = new Set(awards.map((a) => a.team_id)).size > 1;
      replace(badgesBox, badgeGrid(awards, definitions, labels, { multiTeam, teamName }));
    }

    function fetchPoints() {
      const period = periodNames(ctx.team?.timezone ?? "UTC")[state.period];
      return Promise.all([
        get(`/users/${id}/points`, { period, explain: true }),
        state.labels,
      ]).catch((error) => {
        // Points of another period stay out of sight beside the refusal.
        totalLine.textContent = "";
        receiptsBox.replaceChildren();
        throw error;
      });
    }

    function showPoints([points, labels]) {
      const when = points.period === "all" ? "all time" : points.period;
      // Each team's board counts its own points: a total over several says how it splits.
      const byTeam = new Map();
      for (const receipt of points.receipts) {
        byTeam.set(receipt.team_id, (byTeam.get(receipt.team_id) ?? 0) + receipt.points);
      }
      const split = [...byTeam].map(([teamId, sum]) => `${sum} in ${teamName(teamId)}`);
      replace(
        totalLine,
        h("strong", { class: "total-figure" }, String(points.total)),
        ` ${Math.abs(points.total) === 1 ? "point" : "points"} in ${when}`,
        split.length > 1 ? `: ${split.join(", ")}` : "",
      );
      replace(receiptsBox, receiptsTable(points, labels));
    }

    const loadReliability = loader(
      () => get(`/users/${id}/reliability`),
      (r) => replace(reliabilityBox, reliabilityFigures(r)),
      failed.reliability,
      "",
    );
    const loadBadges = loader(fetchBadges, showBadges, failed.badges, "");
    const loadPoints = loader(fetchPoints, showPoints, failed.points, "");

    function loadAll() {
      state.labels = sourceLabels(id);
      return Promise.all([loadReliability(), loadBadges(), loadPoints()]);
    }

    periodForm.addEventListener("change", () => {
      state.period = periodForm.elements.period.value;
      loadPoints();
    });
    periodForm.addEventListener("submit", (event) => event.preventDefault());

    const stop = refetchOn(
      {
        badge: (push) => push.user_id === id,
        leaderboard: (push) => push.rows?.some((row) => row.user_id === id),
        commitment: (push) => push.owner_id === id,
      },
      loadAll,
    );
    await loadAll();
    return stop;
  },
};

/** Kept, missed, open and overdue commitments, the say/do ratio and the streaks. */
function reliabilityFigures(r) {
  const ratio =
    r.say_do_ratio === null || r.say_do_ratio === undefined
      ? "—"
      : `${Math.round(r.say_do_ratio * 100)}%`;
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
        return h(
          "div",
          { class: `stat stat-${key}${warn ? " warn" : ""}` },
          h("dt", {}, label),
          h("dd", { dataset: { stat: key } }, String(value)),
        );
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
  const said = (hidden) =>
    hidden ? "Your name is hidden on the team screen." : "Your name shows on the team screen.";
  const show = (hidden, saved = false) => {
    box.checked = box.defaultChecked = hidden;
    status.textContent = saved ? `Saved. ${said(hidden)}` : said(hidden);
  };
  bindForm(
    form,
    async (values) => {
      // One change at a time: the box stays still until the server has answered.
      const hadFocus = document.activeElement === box;
      box.disabled = true;
      try {
        return await put("/me/preferences", { hide_on_team_screen: values.hide_on_team_screen });
      } catch (error) {
        // Nothing changed: the box shows the saved choice again, and says so; the
        // refusal itself shows at the top of the form.
        box.checked = box.defaultChecked;
        status.textContent = `Not saved. ${said(box.defaultChecked)}`;
        throw error;
      } finally {
        box.disabled = false;
        if (hadFocus) box.focus(); // disabling it took the focus away
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
  return h(
    "section",
    { class: "card", "aria-labelledby": "preferences-title" },
    h("h2", { id: "preferences-title" }, "Team screen"),
    form,
  );
}
