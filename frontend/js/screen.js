// The team screen: a TV showing one team's month board and feed, live and read-only.
// It is opened as /screen#wps_…: the token sits in the fragment, which is never sent
// to the server, and is kept in localStorage so the TV survives reloads.
import { ApiError, request } from "./api.js";
import { boardTable, ranksOf, rulesLabel } from "./board.js";
import { h, replace } from "./dom.js";
import { LiveFeed } from "./feed.js";
import { bindForm, field } from "./forms.js";
import { connectLive, disconnectLive, onLive, showLiveStatus } from "./live.js";
import { debounced } from "./refresh.js";
import { toast } from "./toast.js";

const TOKEN_KEY = "wolfpack.screenToken";
const TOKEN_PATTERN = /wps_[A-Za-z0-9_-]+/;
// Feed times age and names can be hidden without any push: read it all again now and then.
const SAFETY_REFRESH_MS = 120_000;
const RETRY_MS = 10_000;
const REVOKED = "This screen link no longer works: it may have been revoked.";

const root = document.getElementById("screen");
let token = null;
let view = null; // the board and feed being shown: {teamId, feed}
let safetyTimer = null;
// The feed's loader reads the whole screen again: a burst of pushes, one read.
const refreshSoon = debounced(() => view?.feed.reload());

/** Move a token from the address (/screen#wps_…) into storage, and out of sight. */
function takeTokenFromAddress() {
  const found = location.hash.match(TOKEN_PATTERN)?.[0];
  if (found) localStorage.setItem(TOKEN_KEY, found);
  if (location.hash) history.replaceState(null, "", location.pathname + location.search);
}

function fetchScreen(secret = token) {
  return request("GET", "/screen", undefined, { token: secret });
}

/** Show the team's board and feed from a first GET /screen answer. */
function showScreen(first) {
  const title = h("h1", {}, first.team_name);
  const note = h("p", { class: "board-note" });
  const boardBox = h("div", { class: "board-box" });
  const problem = h("p", { class: "screen-problem", role: "status" });
  const list = h("ol", { class: "feed", "aria-label": "Team feed" });
  replace(
    root,
    h(
      "div",
      { class: "screen-wrap" },
      h(
        "section",
        { class: "screen-board", "aria-labelledby": "board-title" },
        title,
        h("h2", { id: "board-title" }, "This month's points"),
        note,
        boardBox,
        problem,
      ),
      h(
        "section",
        { class: "screen-feed", "aria-labelledby": "feed-title" },
        h("h2", { id: "feed-title" }, "Team feed"),
        list,
      ),
    ),
  );
  let pending = first; // an answer already in hand, for the first load
  let latest = first;
  let ranks = new Map();

  function showBoard(data) {
    const board = data.leaderboard;
    title.textContent = data.team_name;
    document.title = `${data.team_name} · Wolfpack`;
    note.textContent = `${board.period} · ${rulesLabel(board.rules_version)} · some names hidden as members chose`;
    replace(boardBox, boardTable(board.board, board.rows, { previous: ranks }));
    ranks = ranksOf(board.rows);
  }

  // The feed's loader reads the whole screen again, so the board follows too.
  async function load() {
    let data = pending;
    pending = null;
    if (!data) {
      try {
        data = await fetchScreen();
      } catch (error) {
        if (error.status === 401) showSetup(REVOKED);
        else problem.textContent = `Could not refresh: ${error.message} Showing what came last.`;
        return latest.feed;
      }
    }
    problem.textContent = "";
    latest = data;
    showBoard(data);
    return data.feed;
  }

  const feed = new LiveFeed(list, first.team_id, load);
  view = { teamId: first.team_id, feed };
  return feed.reload();
}

/** Ask for a screen link: there is none yet, or the one we had was revoked. */
function showSetup(problem) {
  stopLive();
  const form = h(
    "form",
    { class: "setup-form" },
    field("Screen link or token", "token", {
      autocomplete: "off",
      spellcheck: "false",
      hint: "It looks like https://…/screen#wps_… or just wps_…",
    }),
    h("button", { type: "submit" }, "Show the team board"),
  );
  bindForm(form, checkPasted, ({ secret, data }) => begin(secret, data));
  replace(
    root,
    h(
      "section",
      { class: "screen-setup", "aria-labelledby": "setup-title" },
      h("h1", { id: "setup-title" }, "Team screen"),
      problem && h("p", { class: "form-error", role: "alert" }, problem),
      h(
        "p",
        {},
        "Ask your team leader for a screen link, then open it on this screen or paste it here.",
      ),
      form,
    ),
  );
  document.title = "Team screen · Wolfpack";
  form.elements.token.focus();
}

/** Check a pasted link or token against the server; its field shows what is wrong. */
async function checkPasted(values) {
  const secret = values.token.match(TOKEN_PATTERN)?.[0];
  if (!secret) {
    throw new ApiError(422, "validation_failed", "That is not a screen link.", {
      token: ["Paste the whole link, or the token that starts with wps_."],
    });
  }
  try {
    return { secret, data: await fetchScreen(secret) };
  } catch (error) {
    if (error.status !== 401) throw error;
    throw new ApiError(401, error.code, "That screen link does not work.", {
      token: ["It may have been revoked: ask your team leader for a new one."],
    });
  }
}

/** Show the screen for a token the server accepted, and go live. */
async function begin(secret, data) {
  token = secret;
  localStorage.setItem(TOKEN_KEY, secret);
  await showScreen(data);
  connectLive({ token });
  clearInterval(safetyTimer);
  safetyTimer = setInterval(refreshSoon, SAFETY_REFRESH_MS);
}

function stopLive() {
  view = null;
  token = null;
  localStorage.removeItem(TOKEN_KEY);
  refreshSoon.cancel();
  clearInterval(safetyTimer);
  disconnectLive();
}

function showStatus(state) {
  showLiveStatus(state);
  // A refused or closed socket may mean the token was revoked: the HTTP answer says.
  if (state === "offline" && view) refreshSoon();
}

function announceBadge(award) {
  if (!view || award.team_id !== view.teamId) return;
  const tier = award.tier ? ` (${award.tier})` : "";
  toast(`★ ${award.name} earned ${award.badge_name}${tier}`, "badge");
}

async function boot() {
  takeTokenFromAddress();
  token = localStorage.getItem(TOKEN_KEY);
  if (!token) {
    showSetup();
    return;
  }
  let data;
  try {
    data = await fetchScreen();
  } catch (error) {
    if (error.status === 401) {
      showSetup(REVOKED);
      return;
    }
    replace(
      root,
      h(
        "section",
        { class: "screen-setup" },
        h("h1", {}, "Team screen"),
        h("p", { class: "form-error", role: "alert" }, error.message),
        h("p", {}, "Trying again in a moment…"),
      ),
    );
    setTimeout(boot, RETRY_MS);
    return;
  }
  await begin(token, data);
}

onLive("status", showStatus);
onLive("badge", announceBadge);
onLive("feed", (push) => view?.feed.push(push));
onLive("leaderboard", (push) => view && push.team_id === view.teamId && refreshSoon());
onLive("resync", refreshSoon);
boot();
