// #/admin/access: API tokens, and each team's screen links for the TVs.
import { get } from "../api.js";
import { card, h, replace } from "../dom.js";
import { field } from "../forms.js";
import { screenSection } from "../leader/screens.js";
import { adminShell } from "./shell.js";
import { tokensSection } from "./tokens.js";

export default {
  title: "Access",
  async render(main, ctx) {
    if (
      !adminShell(
        main,
        ctx,
        "Access",
        "Tokens for scripts and integrations; links for team screens.",
      )
    )
      return;
    const tokens = tokensSection(ctx.user);
    const teams = await get("/teams");
    const picker = h(
      "form",
      { class: "controls", "aria-label": "Which team's screens" },
      field("Team", "team", { control: "select", options: teams.map((t) => [t.id, t.name]) }),
    );
    const screens = h("div", {});
    main.append(
      h(
        "div",
        { class: "grid-2 admin-split" },
        tokens.node,
        h(
          "div",
          {},
          card(
            "screens-pick-title",
            "Team screens",
            h("p", { class: "muted" }, "Each team's TV links: pick the team."),
            teams.length ? picker : h("p", { class: "empty" }, "No team yet."),
          ),
          screens,
        ),
      ),
    );

    async function showTeam() {
      const team = teams.find((t) => t.id === picker.elements.team.value);
      if (!team) return;
      const section = screenSection(team);
      replace(screens, section.node);
      await section.refresh();
    }
    picker.addEventListener("change", showTeam);
    picker.addEventListener("submit", (event) => event.preventDefault());
    await Promise.all([tokens.refresh(), showTeam()]);
  },
};
