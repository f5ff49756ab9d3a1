// The leader's desk: who is at risk (live), the team's open commitments (call out,
// mark missed), the team's people (invite, add, remove reps), recognition awards and
// team-screen links for the TV.
import { h } from "../dom.js";
import { atRiskSection } from "../leader/at_risk.js";
import { commitmentsSection } from "../leader/commitments.js";
import { peopleSection } from "../leader/people.js";
import { recognitionSection } from "../leader/recognition.js";
import { screenSection } from "../leader/screens.js";
import { onLive } from "../live.js";
import { notInTeam } from "../notices.js";
import { refetchOn, teamPushes } from "../refresh.js";

const TICK_MS = 60_000;

export default {
  title: "Leader",
  async render(main, ctx) {
    const team = ctx.team;
    if (!team) return notInTeam(main, "Leader");
    if (!ctx.isLeader()) {
      main.append(
        h("h1", {}, "Leader"),
        h("p", { class: "empty" }, "Only the team's leader can open this page."),
      );
      return undefined;
    }
    const risks = atRiskSection(team, ctx);
    const commitments = commitmentsSection(team, ctx, () => risks.refresh());
    const awards = recognitionSection(team, ctx);
    const screens = screenSection(team);
    // The other pages name teammates from the team's member list: it stays current.
    const people = peopleSection(team, (saved) => (team.members = saved.members));
    main.append(
      h("h1", {}, "Leader"),
      h(
        "p",
        { class: "lead" },
        `${team.name}: who needs help, promises to follow up, the team's people, recognition and the team screen.`,
      ),
      h("div", { class: "grid-2" }, risks.node, commitments.node),
      h("div", { class: "grid-2" }, people.node, awards.node),
      h("div", { class: "grid-2" }, screens.node, alsoSection()),
    );
    const stops = [
      // An at_risk push carries the whole list: shown as it is, no refetch.
      onLive("at_risk", (push) => push.team_id === team.id && risks.show(push.items)),
      refetchOn(teamPushes(team.id, ["commitment"]), commitments.refresh),
      onLive("resync", () => {
        risks.refresh();
        awards.refresh();
        screens.refresh();
        people.refresh();
      }),
    ];
    // Due times turn overdue as time passes, with no push: "Mark missed" then appears,
    // and the owner joins the people at risk (as do targets falling behind pace).
    const ticker = setInterval(() => {
      commitments.refresh();
      risks.refresh();
    }, TICK_MS);
    await Promise.all([
      risks.refresh(),
      commitments.refresh(),
      awards.refresh(),
      screens.refresh(),
    ]);
    return () => {
      clearInterval(ticker);
      for (const stop of stops) stop();
    };
  },
};

/** Links to the other pages where a leader decides things. */
function alsoSection() {
  return h(
    "section",
    { class: "card", "aria-labelledby": "also-title" },
    h("h2", { id: "also-title" }, "Also"),
    h(
      "ul",
      {},
      h(
        "li",
        {},
        h("a", { href: "#/targets" }, "Targets to agree"),
        " — reps' proposals waiting for you",
      ),
      h(
        "li",
        {},
        h("a", { href: "#/charter" }, "Charter"),
        " — who has acknowledged the current version",
      ),
      h(
        "li",
        {},
        h("a", { href: "#/commitments" }, "All commitments"),
        " — kept, missed and withdrawn too",
      ),
    ),
  );
}
