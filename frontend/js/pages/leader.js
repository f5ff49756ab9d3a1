// The leader's desk: who is at risk (live), the team's open commitments (call out,
// mark missed), recognition awards and team-screen links for the TV.
import { del, get, post } from "../api.js";
import { formatTime, h, replace, timeNode } from "../dom.js";
import { actionButton, bindForm, field } from "../forms.js";
import { debounced, loadFailed, syncKeyed } from "../keyed.js";
import { onLive } from "../live.js";
import { toast } from "../toast.js";

const RISK_LABELS = {
  overdue_commitment: "Overdue commitment",
  behind_pace: "Behind pace",
  no_recent_check_in: "No check-in for 30 days",
};
const RECENT_AWARDS = 5;

export default {
  title: "Leader",
  async render(main, ctx) {
    const team = ctx.team;
    if (!team) {
      main.append(h("h1", {}, "Leader"), h("p", {}, "You are not in a team yet."));
      return undefined;
    }
    if (!ctx.isLeader()) {
      main.append(h("h1", {}, "Leader"), h("p", { class: "empty" }, "Only the team's leader can open this page."));
      return undefined;
    }
    const risks = atRiskSection(team, ctx);
    const commitments = commitmentsSection(team, ctx, () => risks.refresh());
    const awards = recognitionSection(team, ctx);
    const screens = screenSection(team);
    main.append(
      h("h1", {}, "Leader"),
      h("p", { class: "lead" }, `${team.name}: who needs help, promises to follow up, recognition and the team screen.`),
      h("div", { class: "grid-2" }, risks.node, commitments.node),
      h("div", { class: "grid-2" }, awards.node, h("div", {}, screens.node, alsoSection())),
    );
    const refreshCommitments = debounced(commitments.refresh);
    const stops = [
      onLive("at_risk", (push) => push.team_id === team.id && risks.show(push.items)),
      onLive("commitment", (push) => push.team_id === team.id && refreshCommitments()),
      onLive("resync", () => {
        risks.refresh();
        refreshCommitments();
        awards.refresh();
        screens.refresh();
      }),
    ];
    await Promise.all([risks.refresh(), commitments.refresh(), awards.refresh(), screens.refresh()]);
    return () => {
      refreshCommitments.cancel();
      for (const stop of stops) stop();
    };
  },
};

/** (a) At risk: grouped by person, with every reason; pushes carry the whole list. */
function atRiskSection(team, ctx) {
  const box = h("div", { class: "at-risk" });
  const node = h(
    "section",
    { class: "card", "aria-labelledby": "risk-title" },
    h("h2", { id: "risk-title" }, "At risk"),
    h("p", { class: "muted" }, "Overdue commitments, targets behind pace and mentees without a check-in for 30 days."),
    box,
  );

  function show(items) {
    const people = new Map();
    for (const item of items) {
      if (!people.has(item.user_id)) people.set(item.user_id, []);
      people.get(item.user_id).push(item);
    }
    if (!people.size) {
      replace(box, h("p", { class: "empty" }, "Nobody is at risk right now: nothing overdue, nobody behind pace."));
      return;
    }
    const rows = [...people].map(([userId, reasons]) => {
      const name = reasons[0].name ?? ctx.nameOf(userId);
      const headingId = `risk-${userId}`;
      return h(
        "li",
        { class: "item risk-person", "aria-labelledby": headingId, dataset: { userId } },
        h(
          "div",
          { class: "item-head" },
          h("h3", { class: "item-title", id: headingId }, h("a", { href: `#/profile/${userId}` }, name)),
          h("span", { class: "pill overdue" }, reasons.length === 1 ? "1 reason" : `${reasons.length} reasons`),
        ),
        h("ul", { class: "risk-reasons" }, reasons.map(reasonItem)),
      );
    });
    replace(box, h("ul", { class: "plain" }, rows));
  }

  async function refresh() {
    try {
      show(await get(`/teams/${team.id}/at-risk`));
    } catch (error) {
      loadFailed(box, error);
    }
  }

  return { node, show, refresh };
}

function reasonItem(item) {
  const label = h("strong", {}, `${RISK_LABELS[item.kind] ?? item.kind}: `);
  if (item.kind === "overdue_commitment") {
    return h(
      "li",
      { class: `risk ${item.kind}` },
      label,
      h("a", { href: `#/commitments/${item.subject_id}` }, item.detail),
      " · due ",
      timeNode(item.since),
    );
  }
  return h("li", { class: `risk ${item.kind}` }, label, item.detail);
}

/** (b) The team's open commitments, overdue ones first among equals, with leader actions. */
function commitmentsSection(team, ctx, onMissed) {
  const summary = h("p", { class: "muted" });
  const list = h("ul", { class: "plain team-commitments" });
  const box = h("div", {}, summary, list);
  const redraw = new WeakMap();
  const node = h(
    "section",
    { class: "card", "aria-labelledby": "team-commitments-title" },
    h("h2", { id: "team-commitments-title" }, "Team commitments"),
    box,
  );

  async function refresh() {
    let open;
    try {
      open = await get("/commitments", { team_id: team.id, status: "open" });
    } catch (error) {
      loadFailed(box, error);
      return;
    }
    if (!box.contains(list)) replace(box, summary, list);
    const overdue = open.filter((c) => c.overdue).length;
    summary.textContent = open.length ? `${open.length} open, ${overdue} overdue, soonest due first.` : "";
    syncKeyed(list, open, {
      key: (c) => c.id,
      stamp: (c) => `${c.version}:${c.overdue}`,
      build: (c) => commitmentItem(c),
      update: (item, c) => redraw.get(item)(c),
    });
    if (!open.length) list.append(h("li", { class: "empty" }, "No open commitments in the team."));
  }

  function commitmentItem(c) {
    const head = h("div", {});
    const headingId = `commitment-${c.id}`;
    const callOut = actionForm("Call out", "note", "Note", "Send call-out", `/commitments/${c.id}/call-out`, async () => {
      toast("Called out, on the record.", "success");
      await refresh();
    });
    const miss = actionForm("Mark missed", "reason", "Reason", "Mark missed", `/commitments/${c.id}/miss`, async () => {
      toast("Marked missed.", "success");
      await Promise.all([refresh(), onMissed()]);
    });
    const item = h(
      "li",
      { class: "item team-commitment", "aria-labelledby": headingId, dataset: { commitmentId: c.id } },
      head,
      h("div", { class: "actions" }, callOut, miss),
    );
    const draw = (state) => {
      replace(head, commitmentHead(state, headingId, ctx));
      // The owner cannot mark their own commitment missed, and only once it is overdue.
      miss.hidden = !state.overdue || state.owner_id === ctx.user.id;
    };
    draw(c);
    redraw.set(item, draw);
    return item;
  }

  return { node, refresh };
}

function commitmentHead(c, headingId, ctx) {
  const calledOut = c.call_out_count === 1 ? "Called out once" : `Called out ${c.call_out_count} times`;
  return [
    h(
      "div",
      { class: "item-head" },
      h("h3", { class: "item-title", id: headingId }, h("a", { href: `#/commitments/${c.id}` }, c.title)),
      h("span", { class: `pill ${c.overdue ? "overdue" : "open"}` }, c.overdue ? "overdue" : "open"),
    ),
    h(
      "p",
      { class: "muted" },
      ctx.nameOf(c.owner_id),
      " · due ",
      timeNode(c.due_at, formatTime(c.due_at)),
      " (",
      timeNode(c.due_at),
      ")",
      c.call_out_count > 0 ? ` · ${calledOut}` : "",
    ),
  ];
}

/** A one-field command behind a disclosure: "Call out" {note}, "Mark missed" {reason}. */
function actionForm(summary, name, label, submit, path, onDone) {
  const form = h(
    "form",
    { class: "inline-action" },
    field(label, name, { control: "textarea", rows: 2, maxlength: 4000 }),
    h("button", { type: "submit" }, submit),
  );
  const details = h("details", { class: "action-details" }, h("summary", {}, summary), form);
  bindForm(
    form,
    (values, key) => post(path, { [name]: values[name] }, { key }),
    async () => {
      details.open = false;
      await onDone();
    },
  );
  return details;
}

/** (c) Recognition: give an award to a member; the latest given in the team below. */
function recognitionSection(team, ctx) {
  const others = (team.members ?? []).filter((m) => m.user_id !== ctx.user.id);
  const form = h(
    "form",
    { class: "recognition-form" },
    field("Teammate", "to_user_id", {
      control: "select",
      options: [["", "Choose a teammate…"], ...others.map((m) => [m.user_id, m.name])],
    }),
    field("Title", "title", { maxlength: 120, hint: "For example: Customer champion." }),
    field("Message", "message", { control: "textarea", maxlength: 2000, hint: "What they did, and why it mattered." }),
    h("button", { type: "submit" }, "Give award"),
  );
  const recent = h("div", { class: "recent-awards" });
  const node = h(
    "section",
    { class: "card", "aria-labelledby": "recognition-title" },
    h("h2", { id: "recognition-title" }, "Recognition"),
    form,
    h("h3", { id: "recent-awards-title" }, "Recently given"),
    recent,
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

  async function refresh() {
    try {
      const awards = await get("/recognitions", { team_id: team.id });
      const shown = awards.slice(0, RECENT_AWARDS).map((a) =>
        h(
          "li",
          { class: "item" },
          h(
            "div",
            { class: "item-head" },
            h("span", { class: "item-title" }, a.title),
            a.status === "withdrawn" && h("span", { class: "pill withdrawn" }, "withdrawn"),
          ),
          h("p", { class: "muted" }, `To ${ctx.nameOf(a.to_user_id)} from ${ctx.nameOf(a.from_user_id)} · `, timeNode(a.given_at)),
          h("p", { class: "notes" }, a.message),
        ),
      );
      replace(
        recent,
        shown.length
          ? h("ul", { class: "plain", "aria-labelledby": "recent-awards-title" }, shown)
          : h("p", { class: "empty" }, "No awards given yet: be the first above."),
      );
    } catch (error) {
      loadFailed(recent, error);
    }
  }

  return { node, refresh };
}

/** (d) Team screen: a link with a secret for the TV, shown once; revoke it when done. */
function screenSection(team) {
  const path = `/teams/${team.id}/screen-tokens`;
  const reveal = h("div", { class: "screen-reveal", "aria-live": "polite" });
  const form = h(
    "form",
    { class: "screen-form" },
    field("Screen name", "name", { maxlength: 100, hint: "Where it hangs, for example: Sales floor TV." }),
    h("button", { type: "submit" }, "Create screen link"),
  );
  const list = h("div", { class: "screen-tokens" });
  const node = h(
    "section",
    { class: "card", "aria-labelledby": "screen-title" },
    h("h2", { id: "screen-title", tabindex: "-1" }, "Team screen"),
    h("p", { class: "muted" }, "A read-only live board and feed for a TV on the sales floor."),
    form,
    reveal,
    h("h3", { id: "screen-tokens-title" }, "Screens"),
    list,
  );
  bindForm(
    form,
    (values, key) => post(path, { name: values.name }, { key }),
    async (token) => {
      showLink(reveal, token);
      await refresh();
    },
  );

  async function refresh() {
    let tokens;
    try {
      tokens = await get(path);
    } catch (error) {
      loadFailed(list, error);
      return;
    }
    const live = tokens.filter((t) => !t.revoked_at);
    const revoked = tokens.filter((t) => t.revoked_at);
    replace(
      list,
      live.length
        ? h("ul", { class: "plain", "aria-labelledby": "screen-tokens-title" }, live.map(tokenItem))
        : h("p", { class: "empty" }, "No screen is connected: create a link above."),
      revoked.length > 0 &&
        h(
          "details",
          {},
          h("summary", {}, revoked.length === 1 ? "1 revoked screen" : `${revoked.length} revoked screens`),
          h("ul", { class: "plain" }, revoked.map(tokenItem)),
        ),
    );
  }

  function tokenItem(token) {
    const revoke = actionButton(
      "Revoke",
      async () => {
        await del(`${path}/${token.id}`);
        toast(`${token.name} revoked: that screen goes dark.`, "success");
        await refresh();
        node.querySelector("#screen-title").focus();
      },
      { class: "danger", onError: (error) => toast(error.message, "error"), "aria-label": `Revoke ${token.name}` },
    );
    return h(
      "li",
      { class: "item screen-token", dataset: { tokenId: token.id } },
      h(
        "div",
        { class: "item-head" },
        h("span", { class: "item-title" }, token.name),
        token.revoked_at ? h("span", { class: "pill withdrawn" }, "revoked") : revoke,
      ),
      h(
        "p",
        { class: "muted" },
        "Created ",
        timeNode(token.created_at),
        token.revoked_at ? [" · revoked ", timeNode(token.revoked_at)] : "",
      ),
    );
  }

  return { node, refresh };
}

/** Show a new screen's link, once, with a copy button (or the text selected to copy). */
function showLink(box, token) {
  const link = `${location.origin}/screen#${token.token}`;
  const input = h("input", { id: "screen-link", type: "text", readonly: true, value: link, class: "screen-link" });
  const said = h("p", { class: "hint", role: "status" });
  const copy = h("button", { type: "button", class: "primary" }, "Copy link");
  copy.addEventListener("click", async () => {
    try {
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(link);
      said.textContent = "Copied: paste it into the TV's browser.";
    } catch {
      input.focus();
      input.select();
      said.textContent = "Selected: press Ctrl+C (⌘C on a Mac) to copy it.";
    }
  });
  const close = h("button", { type: "button", class: "secondary" }, "Done");
  close.addEventListener("click", () => box.replaceChildren());
  replace(
    box,
    h(
      "div",
      { class: "reveal" },
      h("p", {}, h("strong", {}, `Open this link on “${token.name}”. `), "It is shown only this once; anyone with it can watch the board until you revoke it."),
      h("label", { for: "screen-link" }, "Screen link"),
      input,
      h("div", { class: "buttons" }, copy, close),
      said,
    ),
  );
  input.focus();
  input.select();
}

function alsoSection() {
  return h(
    "section",
    { class: "card", "aria-labelledby": "also-title" },
    h("h2", { id: "also-title" }, "Also"),
    h(
      "ul",
      {},
      h("li", {}, h("a", { href: "#/targets" }, "Targets to agree"), " — reps' proposals waiting for you"),
      h("li", {}, h("a", { href: "#/charter" }, "Charter"), " — who has acknowledged the current version"),
      h("li", {}, h("a", { href: "#/commitments" }, "All commitments"), " — kept, missed and withdrawn too"),
    ),
  );
}
