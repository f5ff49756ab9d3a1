// #/admin/teams/<id>: one team's settings (name, time zone, currency), archiving, its
// members and an invitation straight into it.
import { ApiError, get, patch, post } from "../api.js";
import { confirmAction } from "../dialog.js";
import { card, h, replace } from "../dom.js";
import { actionButton, bindForm, field } from "../forms.js";
import { itemError, loadError, showItemError } from "../notices.js";
import { toast } from "../toast.js";
import { inviteForm } from "./invite.js";
import { membersSection } from "./members.js";
import { adminShell, workspaceChanged } from "./shell.js";
import { currencyAttrs, currencyList, zoneOptions } from "./zones.js";

export default {
  title: "Team",
  async render(main, ctx, teamId) {
    let team;
    try {
      team = await get(`/teams/${teamId}`);
    } catch (error) {
      if (adminShell(main, ctx, "Team")) main.append(loadError(error.message));
      return;
    }
    if (!adminShell(main, ctx, team.name)) return;
    const heading = main.querySelector("h1");
    const teams = await get("/teams");
    const settings = settingsForm(team, (saved) => changed(saved));
    const archiving = h("div", { class: "archiving" });
    const problem = itemError();
    const members = membersSection(team, teams, (saved) => show(saved));
    const invite = inviteForm({
      team,
      onInvited: async () => show(await get(`/teams/${team.id}`)),
    });
    main.append(
      h("p", {}, h("a", { href: "#/admin/teams" }, "← All teams")),
      h(
        "div",
        { class: "grid-2 admin-split" },
        h("div", {}, members.node, card("team-invite-title", "Invite into this team", invite.node)),
        card(
          "settings-title",
          "Settings",
          settings.node,
          h("h3", {}, "Archive"),
          problem,
          archiving,
        ),
      ),
    );

    /** Show the team after a change of its name, zone, currency or archiving. */
    function changed(saved) {
      show(saved);
      workspaceChanged();
    }

    function show(saved) {
      team = { ...team, ...saved };
      heading.textContent = team.name;
      document.title = `${team.name} · Wolfpack`;
      settings.show(team);
      members.show(team);
      replace(archiving, archiveControls(team, problem, changed));
    }
    show(team);
  },
};

const CHANGED_MEANWHILE =
  "Someone else changed this team just now (reload to see how). Save again to apply yours.";

/** Archive (asking first) or restore; an archived team keeps its history. */
function archiveControls(team, problem, show) {
  const onError = (error) => showItemError(problem, error);
  if (team.archived) {
    return [
      h(
        "p",
        { class: "muted" },
        "Archived: nobody can join it; its history and boards stay readable.",
      ),
      actionButton("Restore team", async () => show(await post(`/teams/${team.id}/restore`)), {
        onError,
      }),
    ];
  }
  return [
    h(
      "p",
      { class: "muted" },
      "When a team is done: it leaves the team lists; nothing is deleted.",
    ),
    actionButton(
      "Archive team",
      async () => {
        const sure = await confirmAction({
          title: `Archive ${team.name}?`,
          body: [
            h("p", {}, `${team.name} leaves everyone's team list and nobody can be added to it.`),
            h("p", {}, "Its history, boards and audit stay readable; an admin can restore it."),
          ],
          yes: "Archive",
        });
        if (!sure) return;
        show(await post(`/teams/${team.id}/archive`));
        toast(`${team.name} is archived.`, "success");
      },
      { class: "danger", onError },
    ),
  ];
}

/** Name, time zone and currency; a save sends only what changed, with If-Match. */
function settingsForm(team, onSaved) {
  let current = team;
  const form = h(
    "form",
    { class: "team-settings", "aria-label": "Team settings" },
    field("Name", "name", { required: true, maxlength: 100 }),
    field("Time zone", "timezone", { control: "select", options: zoneOptions() }),
    field("Currency", "currency", currencyAttrs("currencies-team")),
    currencyList("currencies-team"),
    h("button", { type: "submit" }, "Save settings"),
    h("p", { class: "hint", role: "status" }),
  );
  const said = form.querySelector("[role=status]");

  function show(saved) {
    current = saved;
    const zone = form.elements.timezone;
    if (![...zone.options].some((o) => o.value === saved.timezone)) {
      zone.append(h("option", { value: saved.timezone }, saved.timezone));
    }
    for (const name of ["name", "timezone", "currency"]) {
      const input = form.elements[name];
      const value = saved[name] ?? "";
      if (input.tagName === "SELECT") {
        for (const o of input.options) o.defaultSelected = o.value === value;
      } else input.defaultValue = value;
      input.value = value;
    }
  }

  bindForm(
    form,
    async (values) => {
      said.textContent = "";
      const body = {};
      if (values.name !== current.name) body.name = values.name;
      if (values.timezone !== current.timezone) body.timezone = values.timezone;
      const currency = values.currency.toUpperCase() || null;
      if (currency !== (current.currency ?? null)) body.currency = currency;
      if (!Object.keys(body).length) return current;
      try {
        return await patch(`/teams/${current.id}`, body, { ifMatch: current.version });
      } catch (error) {
        if (error.code !== "version_conflict") throw error;
        // Someone saved first: the next save is checked against what they saved.
        current = await get(`/teams/${current.id}`);
        throw new ApiError(409, error.code, CHANGED_MEANWHILE);
      }
    },
    (saved) => {
      onSaved(saved);
      said.textContent = "Saved.";
    },
  );
  return { node: form, show };
}
