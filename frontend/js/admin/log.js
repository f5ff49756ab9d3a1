// #/admin/log: every account, team, token and screen change, with who and when. Oldest
// first, as the server keeps it; filtered by person and dates; a page at a time.
import { exchange, query } from "../api.js";
import { card, exactTime, h, replace } from "../dom.js";
import { field } from "../forms.js";
import { loadError } from "../notices.js";
import { loader } from "../refresh.js";
import { pager } from "./pager.js";
import { personPicker } from "./person_picker.js";
import { adminShell } from "./shell.js";

const PAGE = 50;
const WEEK_MS = 7 * 24 * 3600 * 1000;

export default {
  title: "Admin log",
  async render(main, ctx) {
    const lead = "Who changed which account, team, token or screen, and when. Oldest first.";
    if (!adminShell(main, ctx, "Admin log", lead)) return;
    const actor = personPicker({
      label: "By",
      name: "actor_id",
      active: false,
      hint: "Anyone, when empty.",
    });
    const filters = h(
      "form",
      { class: "log-filters", "aria-label": "Which changes" },
      actor.node,
      field("From", "from", { type: "date", value: isoDay(new Date(Date.now() - WEEK_MS)) }),
      field("To", "to", { type: "date" }),
      h("div", { class: "buttons" }, h("button", { type: "submit" }, "Show")),
    );
    const rows = h("tbody", {});
    const table = h(
      "table",
      { class: "stack admin-log" },
      h("caption", { class: "visually-hidden" }, "Changes"),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ["When", "What", "Kind"].map((t) => h("th", { scope: "col" }, t)),
        ),
      ),
      rows,
    );
    const empty = h("p", { class: "empty", hidden: true }, "No change in this range.");
    const failed = loadError();
    // The pages seen so far, as the `after` each started from: "Previous" goes back.
    const state = { filters: {}, starts: [undefined], page: 0, next: undefined };
    const paging = pager((step) => {
      if (step > 0) state.starts[state.page + 1] = state.next;
      state.page += step;
      load();
    }, "changes");
    main.append(
      card("log-filter-title", "Filter", filters),
      card("log-title", "Changes", failed, empty, table, paging.node),
    );

    const load = loader(
      () =>
        exchange(
          "GET",
          `/admin/log${query({ ...state.filters, after: state.starts[state.page], limit: PAGE })}`,
        ),
      ({ data, headers }) => {
        state.next = nextAfter(headers.get("Link"));
        replace(rows, data.map(logRow));
        table.hidden = data.length === 0;
        empty.hidden = data.length > 0;
        const first = state.page * PAGE + 1;
        paging.show({
          first: data.length ? first : 0,
          last: first + data.length - 1,
          hasPrevious: state.page > 0,
          hasNext: state.next !== undefined,
        });
      },
      failed,
      "Could not load the log",
    );

    function applyFilters() {
      const { actor_id: actorId, from, to } = filters.elements;
      state.filters = {
        actor_id: actorId.value,
        from: from.value && new Date(`${from.value}T00:00`).toISOString(),
        to: to.value && new Date(`${to.value}T23:59:59.999`).toISOString(),
      };
      Object.assign(state, { starts: [undefined], page: 0 });
      return load();
    }
    filters.addEventListener("submit", (event) => {
      event.preventDefault();
      const problem = actor.node.querySelector(".field-error");
      problem.textContent = "";
      try {
        actor.check();
      } catch (error) {
        problem.textContent = error.message; // a name typed, nobody picked
        return;
      }
      applyFilters();
    });
    table.hidden = true;
    await applyFilters();
  },
};

/** The `after` of a Link header's rel="next" address, or undefined on the last page. */
function nextAfter(link) {
  const next = link?.split(",").find((part) => /rel="?next"?/.test(part));
  const url = next?.match(/<([^>]+)>/)?.[1];
  return url ? (new URL(url, location.origin).searchParams.get("after") ?? undefined) : undefined;
}

/** A Date's calendar day in the browser's time zone, as YYYY-MM-DD. */
function isoDay(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** One change: when, the sentence saying who did what, and its kind (user.invited). */
function logRow(entry) {
  return h(
    "tr",
    { dataset: { position: entry.position } },
    h("td", { class: "when", dataset: { label: "When" } }, exactTime(entry.at)),
    h("td", { dataset: { label: "What" } }, entry.text),
    h("td", { dataset: { label: "Kind" } }, h("code", {}, entry.action)),
  );
}
