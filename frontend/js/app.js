// The app shell: sign in, the navigation, the team picker, live status, badge toasts.
import { get, post, setCsrfToken } from "./api.js";
import { h, replace } from "./dom.js";
import { connectLive, disconnectLive, onLive, showLiveStatus } from "./live.js";
import { rerender, startRouter, stopRouter } from "./router.js";
import { renderResetPassword } from "./passwords.js";
import { renderSignIn } from "./signin.js";
import { toast } from "./toast.js";
import { renderWelcome } from "./welcome.js";

const UUID = "([0-9a-f-]{36})";
const ROUTES = [
  [/^#\/$/, () => import("./pages/dashboard.js")],
  [/^#\/commitments$/, () => import("./pages/commitments.js")],
  [new RegExp(`^#/commitments/${UUID}$`), () => import("./pages/commitment.js")],
  [/^#\/endorse$/, () => import("./pages/endorse.js")],
  [/^#\/achievements$/, () => import("./pages/achievements.js")],
  [/^#\/targets$/, () => import("./pages/targets.js")],
  [/^#\/charter$/, () => import("./pages/charter.js")],
  [/^#\/mentoring$/, () => import("./pages/mentoring.js")],
  [/^#\/leader$/, () => import("./pages/leader.js")],
  [/^#\/profile$/, () => import("./pages/profile.js")],
  [new RegExp(`^#/profile/${UUID}$`), () => import("./pages/profile.js")],
  [/^#\/admin$/, () => import("./admin/people.js")],
  [/^#\/admin\/teams$/, () => import("./admin/teams.js")],
  [new RegExp(`^#/admin/teams/${UUID}$`), () => import("./admin/team.js")],
  [/^#\/admin\/access$/, () => import("./admin/access.js")],
  [/^#\/admin\/import$/, () => import("./admin/import.js")],
  [/^#\/admin\/log$/, () => import("./admin/log.js")],
];

const NAV = [
  ["#/", "Dashboard"],
  ["#/commitments", "Commitments"],
  ["#/endorse", "Endorse"],
  ["#/achievements", "Achievements"],
  ["#/targets", "Targets"],
  ["#/charter", "Charter"],
  ["#/mentoring", "Mentoring"],
  ["#/leader", "Leader", (ctx) => ctx.isLeader()],
  ["#/profile", "Profile"],
  ["#/admin", "Admin", (ctx) => ctx.user?.is_admin],
];

const TEAM_KEY = "wolfpack.team";
// The pages a password reset link and an invitation link open, signed in or not.
const RESET = /^#\/reset-password\?token=([\w-]+)$/;
const WELCOME = /^#\/welcome\?token=([\w-]+)$/;

/** What every page is handed: who is signed in, and the team being looked at. */
const context = {
  user: null,
  teams: [],
  team: null,
  /** True when the user leads the current team (or is an admin). */
  isLeader() {
    return Boolean(this.user?.is_admin || this.team?.role === "leader");
  },
  /** The name of a teammate, from the current team's member list. */
  nameOf(userId) {
    return this.team?.members?.find((m) => m.user_id === userId)?.name ?? "A teammate";
  },
};

let loads = 0;

/** Read who is signed in, their teams and the `preferred` team; the newest read wins. */
async function loadMe(preferred = localStorage.getItem(TEAM_KEY)) {
  const turn = ++loads;
  const me = await get("/me");
  let teams = me.teams;
  if (me.user.is_admin) {
    // Admins may open every team, not only those they belong to.
    const all = await get("/teams");
    const mine = new Set(teams.map((t) => t.id));
    teams = [...teams, ...all.filter((t) => !mine.has(t.id)).map((t) => ({ ...t, role: "admin" }))];
  }
  const summary = teams.find((t) => t.id === preferred) ?? teams[0] ?? null;
  const team = summary ? { ...summary, ...(await get(`/teams/${summary.id}`)) } : null;
  if (turn !== loads) return false;
  setCsrfToken(me.csrf_token);
  Object.assign(context, { user: me.user, teams, team });
  return true;
}

function renderNav() {
  const links = NAV.filter(([, , show]) => !show || show(context)).map(([href, label]) =>
    h("li", {}, h("a", { href }, label)),
  );
  replace(document.getElementById("nav-links"), links);
  const picker = document.querySelector(".team-picker");
  const select = document.getElementById("team-select");
  picker.hidden = context.teams.length < 2;
  replace(
    select,
    context.teams.map((t) =>
      h("option", { value: t.id, selected: t.id === context.team?.id }, t.name),
    ),
  );
}

async function switchTeam(event) {
  const chosen = event.target.value;
  try {
    if (!(await loadMe(chosen))) return; // switched again meanwhile
  } catch (error) {
    event.target.value = context.team?.id ?? "";
    toast(`Could not switch team: ${error.message}`, "error");
    return;
  }
  localStorage.setItem(TEAM_KEY, chosen);
  renderNav();
  await rerender();
}

function announceBadge(award) {
  if (!context.teams.some((t) => t.id === award.team_id)) return;
  const who = award.user_id === context.user?.id ? "You" : award.name;
  const tier = award.tier ? ` (${award.tier})` : "";
  toast(`★ ${who} earned ${award.badge_name}${tier}`, "badge");
}

/** Read who is signed in and the teams again (an admin changed them), keeping the page. */
async function reloadWorkspace() {
  try {
    if (!(await loadMe(context.team?.id))) return;
  } catch (error) {
    toast(`Could not read your teams again: ${error.message}`, "error");
    return;
  }
  renderNav();
}

async function signOut() {
  try {
    await post("/auth/logout");
  } catch (error) {
    // Still signed in on the server: say so rather than pretend.
    if (error.status !== 401) {
      toast(`Could not sign out: ${error.message}`, "error");
      return;
    }
  }
  if (context.user) signedOut();
}

function signedOut() {
  stopRouter();
  disconnectLive();
  setCsrfToken(null);
  context.user = null;
  document.querySelector("header.top").hidden = true;
  renderSignIn(document.getElementById("main"), start);
}

/** Leave whatever was shown: a link's page is shown alone, signed out. */
function leaveSession() {
  stopRouter();
  disconnectLive();
  setCsrfToken(null);
  context.user = null;
  document.querySelector("header.top").hidden = true;
  // The token leaves the address bar (and the history) at once: it is kept here.
  history.replaceState(null, "", location.pathname + location.search);
}

/** Show the reset link's page alone; once the password is set, the sign-in form. */
function showReset(token) {
  leaveSession();
  renderResetPassword(document.getElementById("main"), token, () => {
    renderSignIn(document.getElementById("main"), start);
    toast("Your new password is set: sign in with it.", "success");
  });
}

/** Show the invitation's page alone; once the password is set, the invitee's team. */
function showWelcome(token) {
  leaveSession();
  renderWelcome(document.getElementById("main"), token, async (session) => {
    if (session.team_id) localStorage.setItem(TEAM_KEY, session.team_id);
    history.replaceState(null, "", `${location.pathname}${location.search}#/`);
    await start();
    toast(`Welcome, ${session.user.name}!`, "success");
  });
}

function followResetLink() {
  const reset = location.hash.match(RESET);
  const welcome = location.hash.match(WELCOME);
  if (reset) showReset(reset[1]);
  else if (welcome) showWelcome(welcome[1]);
  return Boolean(reset || welcome);
}

async function start() {
  if (followResetLink()) return;
  try {
    await loadMe();
  } catch {
    signedOut();
    return;
  }
  document.querySelector("header.top").hidden = false;
  renderNav();
  connectLive();
  await startRouter(ROUTES, document.getElementById("main"), context);
}

onLive("status", showLiveStatus);
// A sign-in that ended elsewhere (signed out, password reset, deactivated) shows the
// sign-in page at once: asking who we are answers 401, which signs this tab out.
onLive("closed", () => context.user && get("/me").catch(() => {}));
onLive("badge", announceBadge);
window.addEventListener("wolfpack:signed-out", () => context.user && signedOut());
window.addEventListener("wolfpack:workspace-changed", reloadWorkspace);
// Before the router's own listener: a reset or invitation link opened in a signed-in
// tab is shown.
window.addEventListener("hashchange", followResetLink);
document.getElementById("sign-out").addEventListener("click", signOut);
document.getElementById("team-select").addEventListener("change", switchTeam);
start();
