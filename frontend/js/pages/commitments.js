// "My commitments": make one, work on the open ones, see the closed ones and the
// ones I witness. Live: any commitment push for the team refetches.
import { get, post } from "../api.js";
import { card, h, uid } from "../dom.js";
import { commitmentActions, dueLine, statusPill, syncCommitments } from "../commitment_actions.js";
import { bindForm, field, toIso } from "../forms.js";
import { loadError, notInTeam } from "../notices.js";
import { loader, refetchOn, teamPushes } from "../refresh.js";
import { toast } from "../toast.js";

const TICK_MS = 60_000;

export default {
  title: "My commitments",
  async render(main, ctx) {
    const team = ctx.team;
    if (!team) return notInTeam(main, "My commitments");
    const lists = {
      open: h("ul", { class: "plain commitments", "aria-label": "Open commitments" }),
      closed: h("ul", { class: "plain commitments", "aria-label": "Closed commitments" }),
      witnessing: h("ul", { class: "plain commitments", "aria-label": "Commitments I witness" }),
    };
    const problem = loadError();
    const lead = (text) => h("p", { class: "muted" }, text);
    main.append(
      h("h1", {}, "My commitments"),
      problem,
      h(
        "div",
        { class: "grid-2" },
        card(
          "make-title",
          "Make a commitment",
          lead(`To ${team.name}: say what, by when, and who will hold you to it.`),
          makeForm(team, ctx, () => load()),
        ),
        card("open-title", "Open", lists.open),
      ),
      h(
        "div",
        { class: "grid-2" },
        card(
          "witness-title",
          "I am witnessing",
          lead("Teammates' commitments you agreed to hold them to."),
          lists.witnessing,
        ),
        card("closed-title", "Closed", lists.closed),
      ),
    );

    const mine = (c) =>
      commitmentItem(c, ctx, [
        c.witness_ids.length
          ? h(
              "p",
              { class: "muted" },
              `Witnesses: ${c.witness_ids.map((id) => ctx.nameOf(id)).join(", ")}`,
            )
          : null,
        commitmentActions(c, ctx, { leader: false, onDone: () => load() }),
      ]);
    const witnessed = (c) => commitmentItem(c, ctx, [], `${ctx.nameOf(c.owner_id)} · `);

    const load = loader(
      () =>
        Promise.all([
          get("/commitments", { team_id: team.id, owner_id: ctx.user.id }),
          get("/commitments", { team_id: team.id }),
        ]),
      ([own, all]) => {
        const open = own.filter((c) => c.status === "open");
        const closed = own.filter((c) => c.status !== "open").sort(byClosedNewest);
        const watching = all.filter((c) => c.witness_ids.includes(ctx.user.id));
        watching.sort((a, b) => Number(b.status === "open") - Number(a.status === "open"));
        syncCommitments(lists.open, open, mine, "No open commitments — make one above.");
        syncCommitments(
          lists.closed,
          closed,
          mine,
          "Nothing closed yet. Kept, missed and withdrawn commitments land here.",
        );
        syncCommitments(
          lists.witnessing,
          watching,
          witnessed,
          "Nobody has asked you to witness a commitment yet.",
        );
      },
      problem,
      "Could not load commitments",
    );

    const stop = refetchOn(teamPushes(team.id, ["commitment"]), load);
    const ticker = setInterval(load, TICK_MS); // due times turn overdue as time passes
    await load();
    return () => {
      clearInterval(ticker);
      stop();
    };
  },
};

function byClosedNewest(a, b) {
  return String(b.closed_at ?? b.updated_at).localeCompare(String(a.closed_at ?? a.updated_at));
}

/** One commitment in a list: title linking to its timeline, status, due line, extras. */
function commitmentItem(c, ctx, extras = [], byline = "") {
  const titleId = uid("c");
  return h(
    "li",
    {
      class: "item commitment",
      dataset: { id: c.id, status: c.status },
      "aria-labelledby": titleId,
    },
    h(
      "div",
      { class: "item-head" },
      h("a", { class: "item-title", id: titleId, href: `#/commitments/${c.id}` }, c.title),
      statusPill(c),
    ),
    h("p", { class: "meta" }, byline, dueLine(c), countsOf(c)),
    c.description && h("p", { class: "description" }, c.description),
    c.status === "kept" && c.evidence && h("p", { class: "muted" }, `Evidence: ${c.evidence}`),
    c.closing_reason && h("p", { class: "muted" }, `Reason: ${c.closing_reason}`),
    extras,
  );
}

function countsOf(c) {
  const parts = [];
  if (c.progress_count) parts.push(plural(c.progress_count, "progress note"));
  if (c.renegotiation_count) parts.push(`renegotiated ${times(c.renegotiation_count)}`);
  if (c.call_out_count) parts.push(`called out ${times(c.call_out_count)}`);
  return parts.length ? ` · ${parts.join(" · ")}` : "";
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function times(n) {
  return n === 1 ? "once" : n === 2 ? "twice" : `${n} times`;
}

/** The form that makes a commitment; witnesses are the teammates other than me. */
function makeForm(team, ctx, reload) {
  const mates = (team.members ?? []).filter((m) => m.user_id !== ctx.user.id);
  const witnesses = h(
    "fieldset",
    { class: "field", dataset: { field: "witness_ids" } },
    h("legend", {}, "Witnesses (optional)"),
    mates.length
      ? h(
          "div",
          { class: "checks" },
          mates.map((m) =>
            h(
              "label",
              {},
              h("input", { type: "checkbox", name: "witness_ids", value: m.user_id }),
              m.name,
            ),
          ),
        )
      : h("p", { class: "muted" }, "No teammates to ask yet."),
    h("p", { class: "field-error" }),
  );
  const form = h(
    "form",
    { class: "make-commitment", "aria-label": "Make a commitment" },
    field("Title", "title", {
      required: true,
      maxlength: 200,
      hint: "What you will do, in a sentence.",
    }),
    field("Details (optional)", "description", { control: "textarea" }),
    field("Due date and time", "due_at", { type: "datetime-local", required: true }),
    witnesses,
    h("button", { type: "submit" }, "Make commitment"),
  );
  return bindForm(
    form,
    (v, key) =>
      post(
        "/commitments",
        {
          team_id: team.id,
          title: v.title,
          description: v.description || undefined,
          due_at: toIso(v.due_at),
          witness_ids: v.witness_ids ?? [],
        },
        { key },
      ),
    async (made) => {
      toast(`Commitment made: ${made.title}`, "success");
      await reload();
    },
  );
}
