// Mentoring: a mentor's mentees (log check-ins, tick off action items) and a mentee's
// mentors (acknowledge check-ins). Mentorship changes are not pushed: the page reads
// them again after each of your own commands and after a reconnection.
import { ApiError, get, post } from "../api.js";
import { formatDate, formatTime, h, replace, timeNode, uid } from "../dom.js";
import { actionButton, bindForm, field } from "../forms.js";
import { debounced, loadFailed, syncKeyed } from "../keyed.js";
import { onLive } from "../live.js";
import { toast } from "../toast.js";

const CONFIDENCE = [
  ["", "Choose…"],
  ["1", "1 · Not confident"],
  ["2", "2 · Unsure"],
  ["3", "3 · Getting there"],
  ["4", "4 · Confident"],
  ["5", "5 · Very confident"],
];
const NOTES_MAX = 4000;
const ITEM_MAX = 500;
const ITEMS_MAX = 20;

export default {
  title: "Mentoring",
  async render(main, ctx) {
    const me = ctx.user.id;
    const names = new Map();
    const redraw = new WeakMap(); // card → function drawing a newer state of it
    const status = h("div", { class: "mentoring-status" });
    const menteeList = h("div", { class: "mentorships" });
    const mentorList = h("div", { class: "mentorships" });
    const menteeSection = h(
      "section",
      { "aria-labelledby": "mentees-title", hidden: true },
      h("h2", { id: "mentees-title" }, "Your mentees"),
      menteeList,
    );
    const mentorSection = h(
      "section",
      { "aria-labelledby": "mentors-title", hidden: true },
      h("h2", { id: "mentors-title" }, "Your mentors"),
      mentorList,
    );
    main.append(
      h("h1", {}, "Mentoring"),
      h("p", { class: "lead" }, "Check-ins and action items between mentors and mentees, across teams."),
      status,
      menteeSection,
      mentorSection,
    );

    async function load() {
      const summaries = await get("/mentorships", { user_id: me });
      const full = await Promise.all(summaries.map((m) => get(`/mentorships/${m.id}`)));
      await learnNames(full);
      full.sort(activeFirst);
      const asMentor = full.filter((m) => m.mentor_id === me);
      const asMentee = full.filter((m) => m.mentee_id === me);
      replace(status, full.length ? null : emptyState());
      menteeSection.hidden = !asMentor.length;
      mentorSection.hidden = !asMentee.length;
      show(menteeList, asMentor, "mentor");
      show(mentorList, asMentee, "mentee");
    }

    const refresh = () => load().catch((error) => loadFailed(status, error));
    const refreshSoon = debounced(refresh);

    function show(list, mentorships, as) {
      syncKeyed(list, mentorships, {
        key: (m) => m.id,
        stamp: (m) => `${m.version}:${partnerName(m, as)}`,
        build: (m) => mentorshipCard(m, as),
        update: (card, m) => redraw.get(card)(m),
      });
    }

    async function learnNames(mentorships) {
      const ids = new Set(mentorships.flatMap((m) => [m.mentor_id, m.mentee_id]));
      const unknown = [...ids].filter((id) => id !== me && !names.has(id));
      await Promise.all(
        unknown.map(async (id) => {
          try {
            names.set(id, (await get(`/users/${id}`)).name);
          } catch (error) {
            if (!(error instanceof ApiError)) throw error;
            // The partner of an ended mentorship may no longer be visible.
            names.set(id, ctx.team?.members?.find((m) => m.user_id === id)?.name ?? null);
          }
        }),
      );
    }

    function partnerName(m, as) {
      if (as === "mentor") return names.get(m.mentee_id) ?? "A former mentee";
      return names.get(m.mentor_id) ?? "A former mentor";
    }

    /** One mentorship: its state (redrawn on change) and, for its mentor, a check-in form. */
    function mentorshipCard(m, as) {
      const titleId = uid("mentorship");
      const head = h("div", { class: "mentorship-head" });
      const activity = h("div", { class: as === "mentor" ? "mentorship-activity" : "mentorship-activity grid-2" });
      const logSection = as === "mentor" ? checkInSection(m, partnerName(m, as)) : null;
      const card = h(
        "article",
        { class: "card mentorship", "aria-labelledby": titleId, dataset: { mentorshipId: m.id } },
        head,
        as === "mentor" ? h("div", { class: "grid-2" }, logSection, activity) : activity,
      );
      const afterAction = async (message) => {
        toast(message, "success");
        await refresh();
        card.querySelector("h3")?.focus();
      };
      const draw = (state) => {
        replace(head, cardHead(state, as, partnerName(state, as), titleId));
        replace(activity, as === "mentor" ? [openItems(state, afterAction), checkIns(state, as, afterAction)] : [checkIns(state, as, afterAction), openItems(state, afterAction)]);
        if (state.status !== "active") logSection?.remove();
      };
      draw(m);
      redraw.set(card, draw);
      return card;
    }

    function checkInSection(m, name) {
      const form = checkInForm(m, name, async () => {
        toast(`Check-in with ${name} logged.`, "success");
        await refresh();
      });
      const headingId = uid("log");
      return h("section", { class: "log-check-in", "aria-labelledby": headingId }, h("h4", { id: headingId }, "Log a check-in"), form);
    }

    const stops = [onLive("resync", refreshSoon)];
    await refresh();
    return () => {
      refreshSoon.cancel();
      for (const stop of stops) stop();
    };
  },
};

function activeFirst(a, b) {
  if (a.status !== b.status) return a.status === "active" ? -1 : 1;
  return a.created_at < b.created_at ? -1 : 1;
}

function emptyState() {
  return h(
    "div",
    { class: "card" },
    h("p", { class: "empty" }, "You have no mentorships yet."),
    h(
      "p",
      {},
      "A team leader or an admin pairs a mentor with a mentee. Once you are paired, your check-ins and action items show here.",
    ),
  );
}

function cardHead(m, as, name, titleId) {
  const since = `Your ${as === "mentor" ? "mentee" : "mentor"} since ${formatDate(m.created_at)}`;
  return [
    h(
      "div",
      { class: "item-head" },
      h("h3", { id: titleId, tabindex: "-1" }, name),
      h("span", { class: `pill ${m.status === "active" ? "open" : "withdrawn"}` }, m.status === "active" ? "Active" : "Ended"),
    ),
    h("p", { class: "muted" }, since),
    m.goals && h("p", {}, h("strong", {}, "Goals: "), m.goals),
    m.status !== "active" && h("p", {}, h("strong", {}, "Ended: "), m.end_reason ?? "", " ", m.ended_at && timeNode(m.ended_at)),
    h(
      "dl",
      { class: "data" },
      h("dt", {}, "Check-ins"),
      h("dd", {}, m.check_in_count),
      h("dt", {}, "Last check-in"),
      h("dd", {}, m.last_check_in_on ? formatDate(m.last_check_in_on) : "None yet"),
      h("dt", {}, "Open action items"),
      h("dd", {}, m.open_action_item_count),
      h("dt", {}, "Not acknowledged"),
      h("dd", {}, m.unacknowledged_count),
    ),
  ];
}

function openItems(m, afterAction) {
  const open = m.check_ins.flatMap((c) => c.action_items.filter((i) => !i.done).map((i) => [c, i]));
  const rows = open.map(([c, item]) =>
    h(
      "li",
      { class: "item open-item", dataset: { itemId: item.id } },
      h("span", { class: "item-title" }, item.text),
      h("p", { class: "muted" }, `From the check-in of ${formatDate(c.held_on)}`),
      h(
        "div",
        { class: "actions" },
        actionButton(
          "Mark done",
          async () => {
            await post(`/mentorships/${m.id}/action-items/${item.id}/complete`);
            await afterAction("Action item done.");
          },
          { onError: (error) => toast(error.message, "error"), "aria-label": `Mark done: ${item.text}` },
        ),
      ),
    ),
  );
  return h(
    "section",
    { class: "open-items", "aria-label": "Open action items" },
    h("h4", {}, "Open action items"),
    h("ul", { class: "plain" }, rows.length ? rows : h("li", { class: "empty" }, "No open action items.")),
  );
}

function checkIns(m, as, afterAction) {
  const newestFirst = [...m.check_ins].reverse();
  const rows = newestFirst.map((c) => checkInItem(m, c, as, afterAction));
  const none = as === "mentor" ? "No check-ins yet: log the first one." : "No check-ins yet.";
  return h(
    "section",
    { class: "check-ins", "aria-label": "Check-ins" },
    h("h4", {}, "Check-ins"),
    h("ol", { class: "plain" }, rows.length ? rows : h("li", { class: "empty" }, none)),
  );
}

function checkInItem(m, c, as, afterAction) {
  const day = formatDate(c.held_on);
  const acknowledged = c.acknowledged_at
    ? h("span", { class: "pill done", title: `Acknowledged ${formatTime(c.acknowledged_at)}` }, "Acknowledged")
    : h("span", { class: "pill pending" }, as === "mentee" ? "Please acknowledge" : "Not acknowledged yet");
  const acknowledge =
    as === "mentee" && !c.acknowledged_at
      ? actionButton(
          "Acknowledge",
          async () => {
            await post(`/mentorships/${m.id}/check-ins/${c.id}/acknowledge`);
            await afterAction("Check-in acknowledged.");
          },
          { class: "primary", onError: (error) => toast(error.message, "error"), "aria-label": `Acknowledge the check-in of ${day}` },
        )
      : null;
  return h(
    "li",
    { class: "item check-in", dataset: { checkInId: c.id } },
    h("div", { class: "item-head" }, h("span", { class: "item-title" }, day), acknowledged),
    h("p", { class: "muted" }, `Confidence ${c.confidence} of 5 · logged `, timeNode(c.logged_at)),
    h("p", { class: "notes" }, c.notes),
    c.action_items.length > 0 &&
      h(
        "ul",
        { class: "action-list", "aria-label": "Action items" },
        c.action_items.map((i) =>
          h(
            "li",
            { class: i.done ? "done" : "" },
            h("span", { "aria-hidden": "true" }, i.done ? "✓ " : "○ "),
            i.text,
            i.done ? [" · done ", timeNode(i.done_at)] : " · open",
          ),
        ),
      ),
    acknowledge && h("div", { class: "actions" }, acknowledge),
  );
}

/** The check-in form: held on, notes, confidence and a list of action items. */
function checkInForm(m, name, onDone) {
  const errorId = uid("action_items-error");
  const rows = h("ol", { class: "plain item-inputs" });
  const add = h("button", { type: "button", class: "secondary" }, "Add an action item");
  const box = h(
    "fieldset",
    { class: "field action-items", dataset: { field: "action_items" } },
    h("legend", {}, "Action items"),
    h("p", { class: "hint" }, "What is to be done before the next check-in; leave empty for none."),
    rows,
    h("div", { class: "buttons" }, add),
    h("p", { class: "field-error", id: errorId }),
  );
  const form = h(
    "form",
    { class: "check-in-form", "aria-label": `Check-in with ${name}` },
    field("Held on", "held_on", { type: "date", value: today(), max: today() }),
    field("Notes", "notes", { control: "textarea", maxlength: NOTES_MAX, rows: 4 }),
    field("Confidence", "confidence", {
      control: "select",
      options: CONFIDENCE,
      hint: "How confident the mentee feels, from 1 to 5.",
    }),
    box,
    h("button", { type: "submit" }, "Log check-in"),
  );

  function addRow() {
    const id = uid("action-item");
    const input = h("input", { id, type: "text", maxlength: ITEM_MAX, "aria-describedby": errorId });
    const remove = h("button", { type: "button", class: "link-button" }, "Remove");
    const row = h("li", { class: "item-input" }, h("label", { for: id }), h("div", { class: "item-input-row" }, input, remove));
    remove.addEventListener("click", () => {
      const next = row.nextElementSibling ?? row.previousElementSibling;
      row.remove();
      renumber();
      (next?.querySelector("input") ?? add).focus();
    });
    rows.append(row);
    renumber();
    return input;
  }

  function renumber() {
    [...rows.children].forEach((row, index) => {
      row.querySelector("label").textContent = `Action item ${index + 1}`;
      row.querySelector("button").setAttribute("aria-label", `Remove action item ${index + 1}`);
    });
    add.disabled = rows.children.length >= ITEMS_MAX;
  }

  add.addEventListener("click", () => addRow().focus());
  addRow();
  const texts = () => [...rows.querySelectorAll("input")].map((i) => i.value.trim()).filter(Boolean);

  return bindForm(
    form,
    (values, key) => {
      const body = { notes: values.notes, action_items: texts() };
      if (values.held_on) body.held_on = values.held_on;
      if (values.confidence) body.confidence = Number(values.confidence);
      return post(`/mentorships/${m.id}/check-ins`, body, { key }).catch(flattenItemErrors);
    },
    async () => {
      rows.replaceChildren();
      addRow();
      await onDone();
    },
  );
}

/** The API names a bad action item by its index: say "Action item 2: …" beside the list. */
function flattenItemErrors(error) {
  const found = error instanceof ApiError ? error.fields.action_items : undefined;
  if (found && typeof found === "object" && !Array.isArray(found)) {
    error.fields.action_items = Object.entries(found).map(
      ([index, messages]) => `Action item ${Number(index) + 1}: ${[messages].flat().join(" ")}`,
    );
  }
  throw error;
}

/** Today as YYYY-MM-DD: the local day, unless that is already tomorrow in UTC. */
function today() {
  const now = new Date();
  const parts = [now.getFullYear(), now.getMonth() + 1, now.getDate()];
  const local = parts.map((n) => String(n).padStart(2, "0")).join("-");
  const utc = now.toISOString().slice(0, 10);
  // The server refuses days after today's UTC date.
  return local < utc ? local : utc;
}
