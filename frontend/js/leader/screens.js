// The leader's "Team screen" card: a link with a secret for the TV on the sales floor,
// shown once; the screens connected so far, each to revoke when done.
import { del, get, post } from "../api.js";
import { copyField } from "../copy.js";
import { confirmAction } from "../dialog.js";
import { h, replace, timeNode } from "../dom.js";
import { actionButton, bindForm, field } from "../forms.js";
import { loadError } from "../notices.js";
import { loader } from "../refresh.js";
import { toast } from "../toast.js";

/** The card (a form making a link, then the screens) and its `refresh()`. */
export function screenSection(team) {
  const path = `/teams/${team.id}/screen-tokens`;
  const reveal = h("div", { class: "screen-reveal", "aria-live": "polite" });
  const form = h(
    "form",
    { class: "screen-form" },
    field("Screen name", "name", {
      maxlength: 100,
      hint: "Where it hangs, for example: Sales floor TV.",
    }),
    h("button", { type: "submit" }, "Create screen link"),
  );
  const failed = loadError();
  const list = h("div", { class: "screen-tokens" });
  const node = h(
    "section",
    { class: "card", "aria-labelledby": "screen-title" },
    h("h2", { id: "screen-title", tabindex: "-1" }, "Team screen"),
    h("p", { class: "muted" }, "A read-only live board and feed for a TV on the sales floor."),
    form,
    reveal,
    h("h3", { id: "screen-tokens-title" }, "Screens"),
    failed,
    list,
  );

  const revoke = async (token) => {
    const sure = await confirmAction({
      title: `Revoke ${token.name}?`,
      body: "That screen goes dark at once; a revoked link never works again.",
      yes: "Revoke",
    });
    if (!sure) return;
    await del(`${path}/${token.id}`);
    toast(`${token.name} revoked: that screen goes dark.`, "success");
    await refresh();
    node.querySelector("#screen-title").focus();
  };
  const refresh = loader(
    () => get(path),
    (tokens) => replace(list, tokenLists(tokens, revoke)),
    failed,
    "Could not load this",
  );
  bindForm(
    form,
    (values, key) => post(path, { name: values.name }, { key }),
    async (token) => {
      showLink(reveal, token);
      await refresh();
    },
  );
  return { node, refresh };
}

/** The live screens, then the revoked ones behind a disclosure. */
function tokenLists(tokens, revoke) {
  const item = (token) => tokenItem(token, revoke);
  const live = tokens.filter((t) => !t.revoked_at);
  const revoked = tokens.filter((t) => t.revoked_at);
  return [
    live.length
      ? h("ul", { class: "plain", "aria-labelledby": "screen-tokens-title" }, live.map(item))
      : h("p", { class: "empty" }, "No screen is connected: create a link above."),
    revoked.length > 0 &&
      h(
        "details",
        {},
        h(
          "summary",
          {},
          revoked.length === 1 ? "1 revoked screen" : `${revoked.length} revoked screens`,
        ),
        h("ul", { class: "plain" }, revoked.map(item)),
      ),
  ];
}

function tokenItem(token, revoke) {
  const button = actionButton("Revoke", () => revoke(token), {
    class: "danger",
    onError: (error) => toast(error.message, "error"),
    "aria-label": `Revoke ${token.name}`,
  });
  return h(
    "li",
    { class: "item screen-token", dataset: { tokenId: token.id } },
    h(
      "div",
      { class: "item-head" },
      h("span", { class: "item-title" }, token.name),
      token.revoked_at ? h("span", { class: "pill withdrawn" }, "revoked") : button,
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

/** Show a new screen's link, once, with a copy button (or the text selected to copy). */
function showLink(box, token) {
  const link = `${location.origin}/screen#${token.token}`;
  const { node, input } = copyField("Screen link", link, {
    id: "screen-link",
    copyLabel: "Copy link",
    done: "Copied: paste it into the TV's browser.",
  });
  const close = h("button", { type: "button", class: "secondary" }, "Done");
  close.addEventListener("click", () => box.replaceChildren());
  replace(
    box,
    h(
      "div",
      { class: "reveal" },
      h(
        "p",
        {},
        h("strong", {}, `Open this link on “${token.name}”. `),
        "It is shown only this once; anyone with it can watch the board until you revoke it.",
      ),
      node,
      h("div", { class: "buttons" }, close),
    ),
  );
  input.focus();
  input.select();
}
