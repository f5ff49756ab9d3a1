// "Endorse a teammate": this week's allowance, the form, and the endorsements I
// received and gave. Live: an endorsement in the team's feed refetches.
import { get, post } from "../api.js";
import { card, formatDate, h, replace, timeNode, uid } from "../dom.js";
import { bindForm, field } from "../forms.js";
import { loadError, notInTeam } from "../notices.js";
import { loader, refetchOn } from "../refresh.js";
import { toast } from "../toast.js";

const SUGGESTED = [
  "prospecting",
  "discovery",
  "cold-calling",
  "demo",
  "negotiation",
  "objection-handling",
  "closing",
  "forecasting",
  "executive-presence",
  "account-planning",
  "coaching",
  "teamwork",
];

export default {
  title: "Endorse",
  async render(main, ctx) {
    const team = ctx.team;
    if (!team) return notInTeam(main, "Endorse a teammate");
    const mates = (team.members ?? []).filter((m) => m.user_id !== ctx.user.id);
    const allowanceBox = h("div", { class: "allowance", "aria-live": "polite" });
    const skills = h("datalist", { id: uid("skills") });
    const form = endorseForm(team, mates, skills.id, async (given) => {
      toast(`You endorsed ${ctx.nameOf(given.to_user_id)} for ${given.skill}.`, "success");
      await load();
    });
    const received = h("ul", {
      class: "plain endorsements",
      "aria-label": "Endorsements I received",
    });
    const gave = h("ul", { class: "plain endorsements", "aria-label": "Endorsements I gave" });
    const problem = loadError();
    main.append(
      h("h1", {}, "Endorse a teammate"),
      h(
        "p",
        { class: "lead" },
        "Recognise a teammate's skill the moment you see it. Each endorsement counts toward their badges.",
      ),
      problem,
      h(
        "div",
        { class: "grid-2" },
        card(
          "give-title",
          "Give an endorsement",
          allowanceBox,
          mates.length
            ? [form, skills]
            : h("p", { class: "empty" }, "No teammates to endorse yet."),
        ),
        h(
          "div",
          {},
          card("received-title", "Received", received),
          card("gave-title", "Given", gave),
        ),
      ),
    );

    // Each part shows what it could load; the alert line says what it could not.
    const load = loader(
      () =>
        Promise.allSettled([
          get("/me/endorsement-allowance", { team_id: team.id }),
          get("/endorsements", { team_id: team.id, user_id: ctx.user.id }),
          get("/endorsements", { team_id: team.id, from_user_id: ctx.user.id }),
        ]),
      ([allowance, got, given]) => {
        showAllowance(allowanceBox, allowance, ctx);
        form.hidden = allowance.status === "rejected" && allowance.reason.status === 403;
        showList(
          received,
          got,
          (e) => `From ${ctx.nameOf(e.from_user_id)}`,
          "No endorsements yet. They come when teammates see your skills at work.",
        );
        showList(
          gave,
          given,
          (e) => `To ${ctx.nameOf(e.to_user_id)}`,
          "You have not endorsed anyone yet — start above.",
        );
        const failed = [allowance, got, given].find((r) => r.status === "rejected");
        problem.textContent = failed ? `Could not load everything: ${failed.reason.message}` : "";
        const seen = [got, given].flatMap((r) =>
          r.status === "fulfilled" ? r.value.map((e) => e.skill) : [],
        );
        replace(
          skills,
          [...new Set([...seen, ...SUGGESTED])].map((s) => h("option", { value: s })),
        );
      },
      problem,
    );

    const endorsed = (push) => push.team_id === team.id && push.item?.type === "EndorsementGiven";
    const stop = refetchOn({ feed: endorsed }, load);
    await load();
    return stop;
  },
};

function endorseForm(team, mates, listId, onDone) {
  const form = h(
    "form",
    { class: "endorse", "aria-label": "Endorse a teammate" },
    field("Teammate", "to_user_id", {
      control: "select",
      required: true,
      options: [["", "Choose a teammate"], ...mates.map((m) => [m.user_id, m.name])],
    }),
    field("Skill", "skill", {
      required: true,
      list: listId,
      maxlength: 40,
      autocomplete: "off",
      hint: "A short tag, e.g. negotiation or cold calling.",
    }),
    field("Message (optional)", "message", {
      control: "textarea",
      maxlength: 500,
      hint: "What did you see them do?",
    }),
    h("button", { type: "submit" }, "Endorse"),
  );
  return bindForm(
    form,
    (v, key) =>
      post(
        "/endorsements",
        {
          team_id: team.id,
          to_user_id: v.to_user_id || undefined,
          skill: v.skill,
          message: v.message || undefined,
        },
        { key },
      ),
    onDone,
  );
}

function showAllowance(box, result, ctx) {
  if (result.status === "rejected") {
    replace(box, h("p", { class: "form-error" }, result.reason.message));
    return;
  }
  const a = result.value[0];
  if (!a) {
    replace(box, h("p", { class: "muted" }, "No allowance in this team."));
    return;
  }
  const given = a.given_this_week.map((g) => `${ctx.nameOf(g.to_user_id)} (${g.skill})`);
  replace(
    box,
    h(
      "p",
      { class: "allowance-left" },
      h("strong", { class: "remaining" }, String(a.remaining)),
      ` of ${a.weekly_allowance} endorsements left this week`,
    ),
    h(
      "p",
      { class: "muted" },
      `Week ${a.week}; it renews on ${formatDate(a.renews_on)}. At most ${a.per_receiver_skill_weekly} per teammate and skill each week.`,
    ),
    a.remaining === 0 ? h("p", { class: "muted" }, "You have used this week's allowance.") : null,
    given.length ? h("p", { class: "muted" }, `Given this week: ${given.join(", ")}.`) : null,
  );
}

function showList(list, result, who, emptyText) {
  if (result.status === "rejected") {
    replace(list, h("li", { class: "empty" }, `Could not load: ${result.reason.message}`));
    return;
  }
  const rows = result.value;
  replace(
    list,
    rows.length
      ? rows.map((e) =>
          h(
            "li",
            { class: "item endorsement", dataset: { id: e.id } },
            h(
              "div",
              { class: "item-head" },
              h("span", { class: "item-title" }, who(e)),
              h("span", { class: "pill skill" }, e.skill),
            ),
            e.message && h("p", { class: "message" }, e.message),
            h("p", { class: "muted" }, timeNode(e.given_at), ` · week ${e.week}`),
          ),
        )
      : h("li", { class: "empty" }, emptyText),
  );
}
