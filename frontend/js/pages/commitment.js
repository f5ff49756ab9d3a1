// One commitment: what it is, what its owner or leader can do now, and its audit
// timeline (every event ever recorded for it). Live: a push naming it refetches.
import { get } from "../api.js";
import { ago, eventName, exactTime, formatTime, h, humanize, replace } from "../dom.js";
import { carryOver, commitmentActions, statusPill } from "../commitment_actions.js";
import { fieldOf, focusItem, heldFocus, trackFocus } from "../keyed_list.js";
import { Names } from "../names.js";
import { loadError } from "../notices.js";
import { loader, refetchOn } from "../refresh.js";

const TICK_MS = 60_000;

const SAID = {
  CommitmentMade: "made the commitment",
  CommitmentProgressReported: "reported progress",
  CommitmentRenegotiated: "renegotiated the due date",
  CommitmentKept: "kept it",
  CommitmentMissed: "marked it missed",
  CommitmentWithdrawn: "withdrew it",
  CommitmentCalledOut: "called it out",
};

const KEYS = {
  due_at: "Due",
  owner_id: "Owner",
  team_id: "Team",
  witness_ids: "Witnesses",
};

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export default {
  title: "Commitment",
  async render(main, ctx, id) {
    const names = new Names(ctx.team?.members);
    let c;
    let events;
    try {
      [c, events] = await Promise.all([
        get(`/commitments/${id}`),
        get(`/commitments/${id}/history`),
      ]);
      await names.learn([c.owner_id, ...c.witness_ids, ...events.flatMap(peopleIn)]);
    } catch (error) {
      main.append(
        h("h1", {}, "Commitment"),
        loadError(`Could not load this commitment: ${error.message}`),
        h("p", {}, h("a", { href: "#/commitments" }, "Back to my commitments")),
      );
      return undefined;
    }
    const heading = h("h1", {}, c.title);
    const about = h("div", { class: "about" });
    const actionsCard = h(
      "section",
      { class: "card", "aria-labelledby": "actions-title" },
      h("h2", { id: "actions-title" }, "What you can do"),
    );
    trackFocus(actionsCard);
    const timeline = h("ol", { class: "timeline", "aria-label": "Audit timeline" });
    const problem = loadError();
    main.append(
      heading,
      h("p", { class: "lead" }, h("a", { href: "#/commitments" }, "← My commitments")),
      problem,
      h(
        "div",
        { class: "grid-2" },
        h(
          "div",
          {},
          h(
            "section",
            { class: "card", "aria-labelledby": "about-title" },
            h("h2", { id: "about-title" }, "The commitment"),
            about,
          ),
          actionsCard,
        ),
        h(
          "section",
          { class: "card", "aria-labelledby": "timeline-title" },
          h("h2", { id: "timeline-title" }, "Timeline"),
          h(
            "p",
            { class: "muted" },
            "Every event recorded for this commitment, oldest first. Nothing is ever changed or removed.",
          ),
          timeline,
        ),
      ),
    );

    const leads = Boolean(
      ctx.user.is_admin || ctx.teams.find((t) => t.id === c.team_id)?.role === "leader",
    );
    const actor = { user: ctx.user, isLeader: () => leads };
    let stamp = null;
    function show() {
      heading.textContent = c.title;
      replace(about, aboutList(c, names, ctx));
      replace(
        timeline,
        events.map((e) => eventItem(e, names, ctx)),
      );
      const now = `${c.version}:${c.overdue}`;
      if (now === stamp) return; // keep half-written notes when nothing changed
      stamp = now;
      const old = actionsCard.querySelector(".commitment-actions, .none");
      const focused = old && heldFocus(actionsCard, old);
      const field = old && fieldOf(actionsCard, document.activeElement);
      const fresh = carryOver(old, commitmentActions(c, actor, { onDone: load }));
      old?.remove();
      actionsCard.append(fresh ?? h("p", { class: "none muted" }, nothingToDo(c, ctx, names)));
      // Keyboard users keep their place: the field being typed in, else "What you can do".
      if (focused) focusItem(actionsCard, field);
    }

    const load = loader(
      async () => {
        const [fresh, history] = await Promise.all([
          get(`/commitments/${id}`),
          get(`/commitments/${id}/history`),
        ]);
        await names.learn(history.flatMap(peopleIn));
        return [fresh, history];
      },
      ([fresh, history]) => {
        c = fresh;
        events = history;
        show();
      },
      problem,
      "Could not refresh",
    );

    const stop = refetchOn({ commitment: (push) => push.id === id }, load);
    const ticker = setInterval(() => c.status === "open" && load(), TICK_MS);
    show();
    return () => {
      clearInterval(ticker);
      stop();
    };
  },
};

function nothingToDo(c, ctx, names) {
  if (c.status !== "open")
    return `This commitment is ${c.status}: closed for good, kept on the record.`;
  if (c.owner_id === ctx.user.id) return "Nothing to do right now.";
  return `Only ${names.of(c.owner_id)} can work on it; the team's leader can call it out.`;
}

function aboutList(c, names, ctx) {
  const rows = [
    ["Status", statusPill(c)],
    ["Owner", names.of(c.owner_id)],
    ["Team", ctx.teams.find((t) => t.id === c.team_id)?.name ?? "—"],
    ["Due", [exactTime(c.due_at), c.status === "open" ? ` (${ago(c.due_at)})` : ""]],
    c.closed_at ? [humanize(c.status), exactTime(c.closed_at)] : null,
    ["Witnesses", c.witness_ids.length ? c.witness_ids.map((w) => names.of(w)).join(", ") : "None"],
    ["Made", exactTime(c.created_at)],
  ].filter(Boolean);
  if (c.description) rows.push(["Details", c.description]);
  if (c.evidence) rows.push(["Evidence", c.evidence]);
  if (c.closing_reason) rows.push(["Reason", c.closing_reason]);
  rows.push(
    ["Progress notes", String(c.progress_count)],
    ["Renegotiated", String(c.renegotiation_count)],
    ["Called out", String(c.call_out_count)],
  );
  return h(
    "dl",
    { class: "data about-data" },
    rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]),
  );
}

/** One recorded event: who, what, when, and its data as humanized keys and values. */
function eventItem(e, names, ctx) {
  const said = SAID[e.type] ?? eventName(e.type);
  const entries = Object.entries(e.data);
  return h(
    "li",
    { class: "event", dataset: { type: e.type, version: e.version } },
    h(
      "p",
      { class: "event-head" },
      h("strong", { class: "actor" }, e.actor_id ? names.of(e.actor_id) : "Wolfpack"),
      ` ${said} · `,
      exactTime(e.at),
      " ",
      h("span", { class: "muted event-type" }, `(${e.type}, version ${e.version})`),
    ),
    entries.length
      ? h(
          "dl",
          { class: "data" },
          entries.map(([k, v]) => [
            h("dt", {}, keyLabel(k)),
            h("dd", {}, valueText(k, v, names, ctx)),
          ]),
        )
      : null,
  );
}

function keyLabel(key) {
  return KEYS[key] ?? humanize(key.replace(/_ids?$/, ""));
}

function valueText(key, value, names, ctx) {
  if (value === null || value === undefined || value === "")
    return h("span", { class: "muted" }, "—");
  if (Array.isArray(value)) {
    return value.length
      ? value.map((v) => plainValue(key, v, names, ctx)).join(", ")
      : h("span", { class: "muted" }, "None");
  }
  if (typeof value === "object") return JSON.stringify(value);
  if (typeof value === "string" && ISO_TIME.test(value)) return exactTime(value);
  return plainValue(key, value, names, ctx);
}

function plainValue(key, value, names, ctx) {
  if (key === "team_id") return ctx.teams.find((t) => t.id === value)?.name ?? String(value);
  if (/_ids?$/.test(key)) return names.of(value);
  if (typeof value === "string" && ISO_TIME.test(value)) return formatTime(value);
  return String(value);
}

function peopleIn(e) {
  const ids = [e.actor_id];
  for (const [key, value] of Object.entries(e.data)) {
    if (key === "team_id" || !/_ids?$/.test(key)) continue;
    ids.push(...[value].flat());
  }
  return ids.filter(Boolean);
}
