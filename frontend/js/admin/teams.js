// #/admin/teams: every team (archived ones on request), found by name, a page at a
// time; and a form to make a new one.
import { get, patch, post } from "../api.js";
import { card, h } from "../dom.js";
import { bindForm, field } from "../forms.js";
import { loadError } from "../notices.js";
import { loader } from "../refresh.js";
import { toast } from "../toast.js";
import { pageOf, pager } from "./pager.js";
import { adminShell, workspaceChanged } from "./shell.js";
import { currencyAttrs, currencyList, localZone, zoneOptions } from "./zones.js";

const PAGE = 25;

export default {
  title: "Teams",
  async render(main, ctx) {
    if (!adminShell(main, ctx, "Teams", "Make teams, rename them, archive the ones that are done."))
      return;
    const state = { teams: [], filter: "", page: 0 };
    const controls = h(
      "form",
      { class: "controls list-controls", role: "search", "aria-label": "Find teams" },
      field("Filter", "filter", { type: "search", placeholder: "Team name", autocomplete: "off" }),
      field("Show archived teams", "archived", { type: "checkbox" }),
    );
    const rows = h("tbody", {});
    const table = h(
      "table",
      { class: "stack teams" },
      h("caption", { class: "visually-hidden" }, "Teams"),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ["Team", "Time zone", "Currency", "Status"].map((t) => h("th", { scope: "col" }, t)),
        ),
      ),
      rows,
    );
    const paging = pager((step) => {
      state.page += step;
      show();
    }, "teams");
    const failed = loadError();
    main.append(
      h(
        "div",
        { class: "grid-2 admin-split" },
        card("teams-title", "All teams", controls, failed, table, paging.node),
        card(
          "new-team-title",
          "New team",
          createForm((team) => {
            workspaceChanged();
            location.hash = `#/admin/teams/${team.id}`;
          }),
        ),
      ),
    );

    function show() {
      const needle = state.filter.toLowerCase();
      const found = state.teams.filter((t) => t.name.toLowerCase().includes(needle));
      const shown = pageOf(paging, found, state, PAGE);
      rows.replaceChildren(...shown.map(teamRow));
      table.hidden = shown.length === 0;
    }

    const load = loader(
      () => get("/teams", { archived: controls.elements.archived.checked || undefined }),
      (teams) => {
        state.teams = teams;
        show();
      },
      failed,
      "Could not load the teams",
    );
    controls.addEventListener("input", (event) => {
      if (event.target.name === "archived") return load();
      state.filter = controls.elements.filter.value.trim();
      state.page = 0;
      show();
    });
    controls.addEventListener("submit", (event) => event.preventDefault());
    await load();
  },
};

function teamRow(team) {
  return h(
    "tr",
    { class: team.archived ? "archived" : "", dataset: { teamId: team.id } },
    h(
      "td",
      { class: "name" },
      h("a", { href: `#/admin/teams/${team.id}`, class: "item-title" }, team.name),
    ),
    h("td", { dataset: { label: "Time zone" } }, team.timezone),
    h("td", { dataset: { label: "Currency" } }, team.currency ?? "—"),
    h(
      "td",
      { dataset: { label: "Status" } },
      h(
        "span",
        { class: `pill ${team.archived ? "archived" : "active"}` },
        team.archived ? "archived" : "active",
      ),
    ),
  );
}

/** The form making a team: name, time zone (the browser's by default), currency. */
function createForm(onCreated) {
  const form = h(
    "form",
    { class: "team-form", "aria-label": "New team" },
    field("Name", "name", { required: true, maxlength: 100 }),
    field("Time zone", "timezone", {
      control: "select",
      options: zoneOptions(),
      hint: "Where the team works: its days and weeks start there.",
    }),
    field("Currency", "currency", currencyAttrs("currencies-new")),
    currencyList("currencies-new"),
    h("button", { type: "submit" }, "Create team"),
  );
  const zone = form.elements.timezone;
  zone.value = localZone();
  zone.querySelector(`option[value="${CSS.escape(zone.value)}"]`)?.setAttribute("selected", "");
  bindForm(
    form,
    async (values, key) => {
      const team = await post("/teams", { name: values.name, timezone: values.timezone }, { key });
      // The currency is a change of its own: a team is made with a name and a zone.
      if (!values.currency) return team;
      try {
        return await patch(`/teams/${team.id}`, { currency: values.currency.toUpperCase() });
      } catch (error) {
        // The team exists: sending the form again would make a second one.
        toast(`${team.name} is created, without a currency: ${error.message}`, "error");
        return team;
      }
    },
    onCreated,
  );
  return form;
}
