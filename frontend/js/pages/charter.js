// The team charter: the current version, each member's acknowledgement, who has not
// signed up yet, and the leader's next version. Live on team pushes.
import { ApiError, get, newRequestKey, post } from "../api.js";
import { ago, h, replace, timeNode } from "../dom.js";
import { actionButton, bindForm, field } from "../forms.js";
import { itemError, loadError, notInTeam, showItemError } from "../notices.js";
import { loader, refetchOn, teamPushes } from "../refresh.js";
import { toast } from "../toast.js";

// A new version reaches the feed; an acknowledgement earns points (a board push) and,
// the first time, a badge. No push names acknowledgements as such, so the page also
// looks again now and then while it is shown.
const LIVE_EVENTS = ["feed", "leaderboard", "badge"];
const POLL_MS = 30_000;

export default {
  title: "Charter",
  async render(main, ctx) {
    const team = ctx.team;
    if (!team) return notInTeam(main, "Charter");
    const errorBox = loadError();
    const charterCard = h("section", { class: "card charter", "aria-labelledby": "charter-title" });
    const signoffCard = h("section", { class: "card signoff", "aria-labelledby": "signoff-title" });
    const publish = ctx.isLeader() ? publishForm(team, () => load()) : null;
    // What each card shows, as last drawn: a poll or push that changes nothing redraws
    // nothing, so the focus (on "I acknowledge", say) stays where it is.
    const shown = { charter: undefined, signoff: undefined };

    main.append(
      h("h1", {}, "Team charter"),
      h(
        "p",
        { class: "lead" },
        `The principles ${team.name} signs up to: ethics, the customer first, professionalism. Each member acknowledges the current version.`,
      ),
      errorBox,
      charterCard,
      signoffCard,
      publish?.section,
    );

    const load = loader(
      () =>
        get(`/teams/${team.id}/charter`).catch((error) => {
          if (error instanceof ApiError && error.status === 404) return null; // nothing published yet
          throw error;
        }),
      (charter) => {
        const mine = (list) => list?.find((p) => p.user_id === ctx.user.id) ?? null;
        const { acknowledged, pending, ...text } = charter ?? {};
        const charterKey = JSON.stringify([text, mine(acknowledged), mine(pending)]);
        const signoffKey = JSON.stringify(charter);
        if (charterKey !== shown.charter) replace(charterCard, charterView(charter, ctx, load));
        if (signoffKey !== shown.signoff) {
          signoffCard.hidden = !charter;
          if (charter) replace(signoffCard, signoffView(charter, ctx));
        }
        shown.charter = charterKey;
        shown.signoff = signoffKey;
        // "5 minutes ago" moves on all the same.
        for (const time of main.querySelectorAll("time.ago")) time.textContent = ago(time.dateTime);
        publish?.update(charter);
      },
      errorBox,
    );

    const stop = refetchOn(teamPushes(team.id, LIVE_EVENTS), load);
    const poll = setInterval(() => document.visibilityState === "visible" && load(), POLL_MS);
    await load();
    return () => {
      clearInterval(poll);
      stop();
    };
  },
};

/** The current text (as written, line breaks kept) and the viewer's acknowledgement. */
function charterView(charter, ctx, reload) {
  if (!charter) {
    return [
      h("h2", { id: "charter-title" }, "No charter yet"),
      h(
        "p",
        { class: "empty" },
        ctx.isLeader()
          ? "Nothing has been published yet — write the first version below."
          : "Your leader has not published the team's charter yet.",
      ),
    ];
  }
  return [
    h(
      "div",
      { class: "item-head" },
      h("h2", { id: "charter-title" }, `Version ${charter.version}`),
      h("span", { class: "pill" }, "current"),
    ),
    h(
      "p",
      { class: "muted" },
      `Published by ${ctx.nameOf(charter.published_by)} `,
      agoNode(charter.published_at),
    ),
    h("div", { class: "charter-text" }, charter.text),
    acknowledgement(charter, ctx, reload),
  ];
}

/** "I acknowledge version N" for a member who has not; a note for one who has. */
function acknowledgement(charter, ctx, reload) {
  const done = charter.acknowledged.find((p) => p.user_id === ctx.user.id);
  if (done) {
    return h(
      "p",
      { class: "acknowledged", tabindex: "-1" },
      `✓ You acknowledged version ${charter.version} `,
      agoNode(done.acknowledged_at),
      ".",
    );
  }
  if (!charter.pending.some((p) => p.user_id === ctx.user.id)) return null; // not a member
  const errorBox = itemError();
  const button = actionButton(
    `I acknowledge version ${charter.version}`,
    async () => {
      await post(
        `/teams/${charter.team_id}/charter/acknowledgements`,
        { version: charter.version },
        { key: newRequestKey() },
      );
      toast(`You acknowledged version ${charter.version} of the charter.`, "success");
      await reload();
      document.querySelector(".charter .acknowledged")?.focus();
    },
    {
      class: "primary",
      onError: (error) => {
        showItemError(errorBox, error);
        if (error.status === 409) reload(); // a newer version: show it
      },
    },
  );
  return h(
    "div",
    { class: "acknowledge" },
    h("p", { class: "hint" }, "Read it through, then sign up to this version."),
    h("div", { class: "actions" }, button),
    errorBox,
  );
}

/** Who has acknowledged the current version, and who has not yet. */
function signoffView(charter, ctx) {
  const total = charter.acknowledged.length + charter.pending.length;
  const person = (p) => (p.user_id === ctx.user.id ? `${p.name} (you)` : p.name);
  const role = (p) => (p.role === "leader" ? h("span", { class: "pill" }, "leader") : null);
  return [
    h("h2", { id: "signoff-title" }, `Who has acknowledged version ${charter.version}`),
    h(
      "p",
      { class: "signoff-count" },
      h("meter", {
        min: 0,
        max: total || 1,
        value: charter.acknowledged.length,
        "aria-hidden": "true",
      }),
      ` ${charter.acknowledged.length} of ${total} members have acknowledged it.`,
    ),
    h(
      "div",
      { class: "grid-2" },
      h(
        "div",
        {},
        h("h3", { id: "pending-title" }, `Not yet (${charter.pending.length})`),
        h(
          "ul",
          { class: "plain signoff-list pending", "aria-labelledby": "pending-title" },
          charter.pending.length
            ? charter.pending.map((p) => h("li", { class: "item" }, person(p), " ", role(p)))
            : h("li", { class: "empty" }, "Everyone has acknowledged this version."),
        ),
      ),
      h(
        "div",
        {},
        h("h3", { id: "acknowledged-title" }, `Acknowledged (${charter.acknowledged.length})`),
        h(
          "ul",
          { class: "plain signoff-list done", "aria-labelledby": "acknowledged-title" },
          charter.acknowledged.length
            ? charter.acknowledged.map((p) =>
                h(
                  "li",
                  { class: "item" },
                  person(p),
                  " ",
                  role(p),
                  " ",
                  agoNode(p.acknowledged_at),
                ),
              )
            : h("li", { class: "empty" }, "Nobody yet — it was just published."),
        ),
      ),
    ),
  ];
}

/** A <time> saying how long ago, kept current by the page's poll. */
function agoNode(iso) {
  const node = timeNode(iso);
  node.classList.add("ago");
  return node;
}

/**
 * The leader's next version. If-Match names the version the draft was started from
 * (0 for the first), not the one shown last: when another version was published
 * meanwhile, the API refuses the draft (409) instead of overwriting it unseen.
 */
function publishForm(team, reload) {
  const button = h("button", { type: "submit" }, "Publish version 1");
  const form = h(
    "form",
    { class: "publish-charter", "aria-labelledby": "publish-title" },
    field("Charter text", "text", {
      control: "textarea",
      rows: 10,
      maxlength: 20000,
      hint: "Every member is asked to acknowledge the new version, you too.",
    }),
    h("div", { class: "buttons" }, button),
  );
  const textarea = form.elements.text;
  let edited = false; // a draft being written (or about to be) is not overwritten
  let base = 0; // the version whose text the draft started from
  let latest = 0; // the current version, as last read
  textarea.addEventListener("input", () => (edited = true));
  bindForm(
    form,
    async (v, key) => {
      try {
        return await post(`/teams/${team.id}/charter`, { text: v.text }, { key, ifMatch: base });
      } catch (error) {
        if (error.code !== "version_conflict") throw error;
        await reload();
        // Seen now: publishing again replaces the version shown above, deliberately.
        base = latest;
        throw new ApiError(
          409,
          error.code,
          `Version ${latest} was published while you were writing; it is shown above. Your draft is kept: compare them, then publish again to replace it.`,
        );
      }
    },
    async (charter) => {
      edited = false;
      base = charter.version;
      toast(`Published version ${charter.version} of the charter.`, "success");
      await reload();
    },
  );
  return {
    section: h(
      "section",
      { class: "card", "aria-labelledby": "publish-title" },
      h("h2", { id: "publish-title" }, "Publish a new version"),
      form,
    ),
    update(charter) {
      latest = charter?.version ?? 0;
      button.textContent = `Publish version ${latest + 1}`;
      if (edited || document.activeElement === textarea) return;
      textarea.value = charter?.text ?? "";
      base = latest;
    },
  };
}
