// The team dashboard: the live board with period and board switches, nearby ranks,
// the live feed and a time-travel control.
import { get } from "../api.js";
import { BOARD_LABELS, METRICS, boardTable, ranksOf, rulesLabel } from "../board.js";
import { formatTime, h, replace } from "../dom.js";
import { LiveFeed } from "../feed.js";
import { field, toIso } from "../forms.js";
import { onLive } from "../live.js";
import { loadError, notInTeam } from "../notices.js";
import { PERIOD_LABELS, periodNames } from "../periods.js";
import { loader, refetchOn, teamPushes } from "../refresh.js";

export default {
  title: "Dashboard",
  async render(main, ctx) {
    const team = ctx.team;
    if (!team) return notInTeam(main, "Dashboard");
    const state = {
      period: "month",
      board: "points",
      metric: "revenue",
      asOf: null,
      ranks: new Map(),
    };
    const controls = h(
      "form",
      { class: "controls", "aria-label": "What the board shows" },
      field("Period", "period", { control: "select", options: PERIOD_LABELS }),
      field("Board", "board", { control: "select", options: BOARD_LABELS }),
      field("Target metric", "metric", { control: "select", options: METRICS }),
    );
    controls.elements.period.value = state.period;
    const metricField = controls.querySelector("[data-field=metric]");
    const travel = timeTravelForm();
    const boardBox = h("div", { class: "board-box" });
    const boardNote = h("p", { class: "board-note" });
    const boardError = loadError();
    const nearbyBox = h("div", { class: "nearby" });
    const feedList = h("ol", { class: "feed", "aria-label": "Team feed" });
    const feed = new LiveFeed(feedList, team.id, () =>
      get(`/teams/${team.id}/feed`, { limit: 30 }),
    );

    main.append(
      h("h1", {}, team.name),
      h(
        "div",
        { class: "dashboard" },
        h(
          "section",
          { class: "card board-card", "aria-labelledby": "board-title" },
          h("h2", { id: "board-title" }, "Leaderboard"),
          controls,
          travel.form,
          boardNote,
          boardError,
          boardBox,
        ),
        h(
          "div",
          { class: "side" },
          h(
            "section",
            { class: "card", "aria-labelledby": "nearby-title" },
            h("h2", { id: "nearby-title" }, "Around you"),
            nearbyBox,
          ),
          h(
            "section",
            { class: "card", "aria-labelledby": "feed-title" },
            h("h2", { id: "feed-title" }, "Team feed"),
            feedList,
          ),
        ),
      ),
    );

    function params() {
      // "This week" of a past board is the week of that moment, not of today.
      const moment = state.asOf ? new Date(state.asOf) : new Date();
      const names = periodNames(team.timezone ?? "UTC", moment);
      return {
        period: names[state.period],
        board: state.board,
        metric: state.board === "percent_to_target" ? state.metric : undefined,
        as_of: state.asOf ?? undefined,
      };
    }

    function showBoard([board, around]) {
      const note = board.as_of
        ? `${board.period} as it was on ${formatTime(board.as_of)}, replayed from the record.`
        : `Live · ${board.period} · ${rulesLabel(board.rules_version)}`;
      boardNote.textContent = note;
      boardNote.classList.toggle("past", Boolean(board.as_of));
      replace(
        boardBox,
        boardTable(board.board, board.rows, {
          me: ctx.user.id,
          previous: state.ranks,
          profiles: true,
        }),
      );
      state.ranks = ranksOf(board.rows);
      replace(
        nearbyBox,
        around.rows.length
          ? boardTable(board.board, around.rows, { me: ctx.user.id, profiles: true })
          : h("p", {}, "You are not ranked on this team's board."),
      );
    }

    // Switches, time travel and pushes may overlap: only the newest answer is shown.
    const loadBoard = loader(
      () => {
        const query = params();
        return Promise.all([
          get(`/teams/${team.id}/leaderboard`, query),
          get(`/teams/${team.id}/leaderboard/nearby`, query),
        ]);
      },
      showBoard,
      boardError,
      "Could not load the board",
    );

    controls.addEventListener("change", () => {
      state.period = controls.elements.period.value;
      state.board = controls.elements.board.value;
      state.metric = controls.elements.metric.value;
      metricField.hidden = state.board !== "percent_to_target";
      // "Most improved" compares with the period before: all time has none.
      const allTime = controls.elements.period.querySelector("option[value=all]");
      allTime.disabled = state.board === "most_improved";
      if (allTime.disabled && state.period === "all") {
        state.period = controls.elements.period.value = "month";
      }
      state.ranks = new Map();
      loadBoard();
    });
    controls.addEventListener("submit", (event) => event.preventDefault());
    metricField.hidden = true;
    // A moment the server refuses changes nothing: the board stays live (or as it was).
    // Any other failure (offline, a server error) keeps the choice and says so.
    travel.onChange(async (asOf) => {
      const shown = state.asOf;
      state.asOf = asOf;
      state.ranks = new Map();
      const refusal = await loadBoard();
      if (refusal?.fields?.as_of) {
        state.asOf = shown;
        boardError.textContent = ""; // the time-travel field says why
      }
      return refusal;
    });

    const stops = [
      // A board in the past does not change.
      refetchOn(
        teamPushes(team.id, ["leaderboard", "commitment"]),
        () => state.asOf || loadBoard(),
      ),
      onLive("feed", (push) => feed.push(push)),
      onLive("resync", () => feed.reload()),
    ];
    await Promise.all([loadBoard(), feed.reload()]);
    return () => {
      for (const stop of stops) stop();
    };
  },
};

/** The time-travel control: pick a past moment, or go back to live. */
function timeTravelForm() {
  const form = h(
    "form",
    { class: "time-travel", "aria-label": "Time travel" },
    field("Show the board as of", "as_of", {
      type: "datetime-local",
      hint: "Replayed from the record, exactly as it was.",
    }),
    h(
      "div",
      { class: "buttons" },
      h("button", { type: "submit" }, "Show"),
      h(
        "button",
        { type: "button", class: "secondary", name: "live", disabled: true },
        "Back to live",
      ),
    ),
  );
  const liveButton = form.querySelector("button[name=live]");
  let listener = async () => {};
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = form.elements.as_of.value;
    const error = form.querySelector(".field-error");
    error.textContent = "";
    if (!value) {
      error.textContent = "Pick a date and time.";
      return;
    }
    const refusal = await listener(toIso(value));
    if (refusal?.fields?.as_of) {
      error.textContent = [refusal.fields.as_of].flat().join(" ");
      return;
    }
    liveButton.disabled = false;
  });
  liveButton.addEventListener("click", () => {
    form.reset();
    liveButton.disabled = true;
    listener(null);
  });
  return { form, onChange: (fn) => (listener = fn) };
}
