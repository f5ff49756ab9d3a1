// #/admin: everyone with an account. Search, filter by status, page through; invite a
// person; manage one (name, email, admin, reset link, deactivation) in a dialog.
import { exchange, get, query } from "../api.js";
import { card, h } from "../dom.js";
import { field } from "../forms.js";
import { syncKeyed } from "../keyed_list.js";
import { loadError } from "../notices.js";
import { debounced, loader } from "../refresh.js";
import { inviteForm } from "./invite.js";
import { pager } from "./pager.js";
import { managePerson } from "./person_dialog.js";
import { adminShell } from "./shell.js";

const PAGE = 50;
const STATUSES = [
  ["", "Everyone"],
  ["active", "Active"],
  ["invited", "Invited"],
  ["deactivated", "Deactivated"],
];

export default {
  title: "People",
  async render(main, ctx) {
    if (!adminShell(main, ctx, "People", "Invite people, find anyone, and manage their access."))
      return;
    const state = { q: "", status: "", offset: 0 };
    const invite = inviteForm({ onInvited: () => load() });
    const controls = h(
      "form",
      { class: "controls list-controls", role: "search", "aria-label": "Find people" },
      field("Search", "q", { type: "search", placeholder: "Name or email", autocomplete: "off" }),
      field("Show", "status", { control: "select", options: STATUSES }),
    );
    const rows = h("tbody", {});
    const table = h(
      "table",
      { class: "stack people" },
      h("caption", { class: "visually-hidden" }, "People"),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ["Name", "Email", "Status", "Access", ""].map((t) => h("th", { scope: "col" }, t)),
        ),
      ),
      rows,
    );
    const paging = pager((step) => {
      state.offset = Math.max(0, state.offset + step * PAGE);
      load();
    });
    const failed = loadError();
    main.append(
      card("invite-title", "Invite a person", invite.node),
      card("people-title", "Everyone", controls, failed, table, paging.node),
    );

    const manage = (user) => managePerson(user, ctx.user, () => load());
    const load = loader(
      () => exchange("GET", `/users${query(listParams(state))}`),
      ({ data, headers }) => {
        // Each row is rebuilt only when the person changed: focus and open dialogs stay.
        syncKeyed(rows, data, {
          stamp: (u) => JSON.stringify(u),
          build: (u) => personRow(u, ctx.user, manage),
        });
        table.hidden = data.length === 0;
        const total = Number(headers.get("X-Total-Count") ?? data.length);
        paging.show({
          first: data.length ? state.offset + 1 : 0,
          last: state.offset + data.length,
          total,
          hasPrevious: state.offset > 0,
          hasNext: state.offset + data.length < total,
        });
      },
      failed,
      "Could not load people",
    );

    const refilter = debounced(() => {
      state.q = controls.elements.q.value.trim();
      state.status = controls.elements.status.value;
      state.offset = 0;
      load();
    }, 300);
    controls.addEventListener("input", refilter);
    controls.addEventListener("submit", (event) => {
      event.preventDefault();
      refilter();
    });

    await Promise.all([load(), get("/teams").then(invite.setTeams)]);
    return () => refilter.cancel();
  },
};

/** The query for one page of people: search, status and where the page starts. */
function listParams({ q, status, offset }) {
  return { q, status, limit: PAGE, offset };
}

/** One row: name, email, status, admin; "Manage" opens the dialog. */
function personRow(user, me, manage) {
  const { status } = user;
  return h(
    "tr",
    { class: `person ${status}`, dataset: { userId: user.id } },
    h(
      "td",
      { class: "name" },
      h("span", { class: "item-title" }, user.name),
      user.id === me.id && h("span", { class: "muted" }, " (you)"),
    ),
    h("td", { class: "email", dataset: { label: "Email" } }, user.email),
    h("td", { dataset: { label: "Status" } }, h("span", { class: `pill ${status}` }, status)),
    h(
      "td",
      { dataset: { label: "Access" } },
      user.is_admin ? h("span", { class: "pill admin" }, "admin") : "member",
    ),
    h(
      "td",
      { class: "row-actions" },
      h(
        "button",
        { type: "button", "aria-label": `Manage ${user.name}`, onclick: () => manage(user) },
        "Manage",
      ),
    ),
  );
}
