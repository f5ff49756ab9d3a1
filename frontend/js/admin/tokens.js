// API tokens for scripts and integrations: made with a name (acting as someone), the
// secret shown once to copy; revoked when no longer needed, after a question.
import { del, get, post } from "../api.js";
import { copyField } from "../copy.js";
import { confirmAction } from "../dialog.js";
import { h, replace, timeNode } from "../dom.js";
import { actionButton, bindForm, field } from "../forms.js";
import { loadError } from "../notices.js";
import { Names } from "../names.js";
import { loader } from "../refresh.js";
import { toast } from "../toast.js";
import { pageOf, pager } from "./pager.js";
import { personPicker } from "./person_picker.js";

const PAGE = 25;

/** The API tokens card and its `refresh()`. */
export function tokensSection(me) {
  const names = new Names([{ user_id: me.id, name: me.name }]);
  const reveal = h("div", { "aria-live": "polite" });
  const owner = personPicker({ label: "Acts as", hint: "Leave empty for yourself." });
  const form = h(
    "form",
    { class: "token-form", "aria-label": "New API token" },
    field("Token name", "name", {
      required: true,
      maxlength: 100,
      hint: "What uses it, for example: CRM sync.",
    }),
    owner.node,
    h("button", { type: "submit" }, "Create token"),
  );
  const failed = loadError();
  const state = { tokens: [], page: 0 };
  const controls = h(
    "form",
    { class: "controls list-controls", role: "search", "aria-label": "Find API tokens" },
    field("Filter", "filter", {
      type: "search",
      placeholder: "Token name or person",
      autocomplete: "off",
    }),
    field("Show", "show", {
      control: "select",
      options: [
        ["live", "Live"],
        ["revoked", "Revoked"],
        ["all", "All"],
      ],
    }),
  );
  const paging = pager((step) => {
    state.page += step;
    show();
  }, "tokens");
  const rows = h("tbody", {});
  const table = h(
    "table",
    { class: "stack tokens" },
    h("caption", { class: "visually-hidden" }, "API tokens"),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ["Name", "Acts as", "Created", ""].map((t) => h("th", { scope: "col" }, t)),
      ),
    ),
    rows,
  );
  const empty = h("p", { class: "empty" }, "No API token yet.");
  const node = h(
    "section",
    { class: "card", "aria-labelledby": "tokens-title" },
    h("h2", { id: "tokens-title", tabindex: "-1" }, "API tokens"),
    h(
      "p",
      { class: "muted" },
      "For scripts and integrations: a token acts with its person's rights.",
    ),
    form,
    reveal,
    failed,
    empty,
    controls,
    table,
    paging.node,
  );

  async function revoke(token) {
    const sure = await confirmAction({
      title: `Revoke ${token.name}?`,
      body: "Every request and live connection using it is refused from now on. A revoked token never works again.",
      yes: "Revoke",
    });
    if (!sure) return;
    await del(`/tokens/${token.id}`);
    toast(`${token.name} revoked.`, "success");
    await refresh();
    node.querySelector("#tokens-title").focus();
  }

  function tokenRow(token) {
    return h(
      "tr",
      { class: token.revoked_at ? "revoked" : "", dataset: { tokenId: token.id } },
      h("td", { class: "name" }, h("span", { class: "item-title" }, token.name)),
      h("td", { dataset: { label: "Acts as" } }, names.of(token.user_id, "someone")),
      h("td", { dataset: { label: "Created" } }, timeNode(token.created_at)),
      h(
        "td",
        { class: "row-actions" },
        token.revoked_at
          ? h("span", { class: "pill withdrawn" }, "revoked ", timeNode(token.revoked_at))
          : actionButton("Revoke", () => revoke(token), {
              class: "danger",
              "aria-label": `Revoke ${token.name}`,
              onError: (error) => toast(error.message, "error"),
            }),
      ),
    );
  }

  const refresh = loader(
    async () => {
      const tokens = await get("/tokens");
      await names.learn(tokens.map((t) => t.user_id));
      // Live ones first, newest first; the revoked after them.
      return tokens.sort(
        (a, b) =>
          Boolean(a.revoked_at) - Boolean(b.revoked_at) || b.created_at.localeCompare(a.created_at),
      );
    },
    (tokens) => {
      state.tokens = tokens;
      empty.hidden = tokens.length > 0;
      controls.hidden = tokens.length === 0;
      show();
    },
    failed,
    "Could not load the tokens",
  );

  function show() {
    const needle = controls.elements.filter.value.trim().toLowerCase();
    const wanted = controls.elements.show.value;
    const found = state.tokens.filter(
      (t) =>
        (wanted === "all" || (wanted === "revoked") === Boolean(t.revoked_at)) &&
        `${t.name} ${names.of(t.user_id, "")}`.toLowerCase().includes(needle),
    );
    const shown = pageOf(paging, found, state, PAGE);
    replace(rows, shown.map(tokenRow));
    table.hidden = shown.length === 0;
  }
  controls.addEventListener("input", () => {
    state.page = 0;
    show();
  });
  controls.addEventListener("submit", (event) => event.preventDefault());

  bindForm(
    form,
    (values, key) => {
      owner.check();
      return post("/tokens", { name: values.name, user_id: values.user_id || undefined }, { key });
    },
    async (token) => {
      owner.clear();
      showSecret(reveal, token);
      await refresh();
    },
  );
  return { node, refresh };
}

/** Show a new token's secret, once, to copy. */
function showSecret(box, token) {
  const { node, input } = copyField("Token", token.token, {
    copyLabel: "Copy token",
    done: "Copied: keep it somewhere safe.",
  });
  const done = h("button", { type: "button", class: "secondary" }, "Done");
  done.addEventListener("click", () => box.replaceChildren());
  replace(
    box,
    h(
      "div",
      { class: "reveal" },
      h(
        "p",
        {},
        h("strong", {}, `${token.name}: `),
        "the secret is shown only this once. Send it as “Authorization: Bearer …”.",
      ),
      node,
      h("div", { class: "buttons" }, done),
    ),
  );
  input.focus();
  input.select();
}
