// The leader's "Recognition" card: give a teammate an award; the latest given below.
import { get, post } from "../api.js";
import { h, replace, timeNode } from "../dom.js";
import { bindForm, field } from "../forms.js";
import { loadError } from "../notices.js";
import { loader } from "../refresh.js";
import { toast } from "../toast.js";

const RECENT_AWARDS = 5;

/** The card (the award form, then the awards given lately) and its `refresh()`. */
export function recognitionSection(team, ctx) {
  const form = awardForm(team, ctx);
  const failed = loadError();
  const recent = h("div", { class: "recent-awards" });
  const node = h(
    "section",
    { class: "card", "aria-labelledby": "recognition-title" },
    h("h2", { id: "recognition-title" }, "Recognition"),
    form,
    h("h3", { id: "recent-awards-title" }, "Recently given"),
    failed,
    recent,
  );
  const refresh = loader(
    () => get("/recognitions", { team_id: team.id }),
    (awards) => replace(recent, recentAwards(awards.slice(0, RECENT_AWARDS), ctx)),
    failed,
    "Could not load this",
  );
  bindForm(
    form,
    (values, key) => {
      const body = { team_id: team.id, title: values.title, message: values.message };
      if (values.to_user_id) body.to_user_id = values.to_user_id;
      return post("/recognitions", body, { key });
    },
    async (award) => {
      toast(`Award given to ${ctx.nameOf(award.to_user_id)}.`, "success");
      await refresh();
    },
  );
  return { node, refresh };
}

function awardForm(team, ctx) {
  const others = (team.members ?? []).filter((m) => m.user_id !== ctx.user.id);
  return h(
    "form",
    { class: "recognition-form" },
    field("Teammate", "to_user_id", {
      control: "select",
      options: [["", "Choose a teammate…"], ...others.map((m) => [m.user_id, m.name])],
    }),
    field("Title", "title", { maxlength: 120, hint: "For example: Customer champion." }),
    field("Message", "message", {
      control: "textarea",
      maxlength: 2000,
      hint: "What they did, and why it mattered.",
    }),
    h("button", { type: "submit" }, "Give award"),
  );
}

function recentAwards(awards, ctx) {
  if (!awards.length) return h("p", { class: "empty" }, "No awards given yet: be the first above.");
  return h(
    "ul",
    { class: "plain", "aria-labelledby": "recent-awards-title" },
    awards.map((a) => awardItem(a, ctx)),
  );
}

function awardItem(a, ctx) {
  return h(
    "li",
    { class: "item" },
    h(
      "div",
      { class: "item-head" },
      h("span", { class: "item-title" }, a.title),
      a.status === "withdrawn" && h("span", { class: "pill withdrawn" }, "withdrawn"),
    ),
    h(
      "p",
      { class: "muted" },
      `To ${ctx.nameOf(a.to_user_id)} from ${ctx.nameOf(a.from_user_id)} · `,
      timeNode(a.given_at),
    ),
    h("p", { class: "notes" }, a.message),
  );
}
