// Picking one person by typing part of a name or email: for adding a member, a token's
// owner, the admin log's filter. The chosen id is the form's `name` value.
import { ApiError, get } from "../api.js";
import { h, replace, uid } from "../dom.js";
import { debounced } from "../refresh.js";

const SHOWN = 8;

/**
 * A field with a search box and the people matching it, as buttons. `skip(user)` leaves
 * people out (members already); `active` asks only for active accounts. Return
 * {node, clear(), check()}; the hidden input named `name` holds the chosen user's id,
 * and check() refuses a name typed but not picked (else it would count as nobody).
 */
export function personPicker({
  label = "Person",
  name = "user_id",
  skip = () => false,
  hint,
  active = true,
}) {
  const id = uid(name);
  const listId = `${id}-results`;
  const search = h("input", {
    id,
    type: "search",
    autocomplete: "off",
    placeholder: "Type a name or email",
    "aria-describedby": `${id}-chosen ${id}-error`,
    "aria-controls": listId,
  });
  const chosen = h("input", { type: "hidden", name });
  const said = h("p", { class: "hint picked", id: `${id}-chosen`, "aria-live": "polite" });
  const results = h("ul", {
    class: "plain picker-results",
    id: listId,
    "aria-label": "Matching people",
  });
  let turn = 0;

  function pick(user) {
    chosen.value = user.id;
    search.value = user.name;
    said.textContent = `Chosen: ${user.name} (${user.email})`;
    results.replaceChildren();
  }

  function clear() {
    chosen.value = "";
    search.value = "";
    said.textContent = hint ?? "";
    results.replaceChildren();
  }

  async function lookUp() {
    const q = search.value.trim();
    const mine = ++turn;
    if (!q) return results.replaceChildren();
    let users;
    try {
      users = await get("/users", { q, active: active || undefined, limit: SHOWN * 2 });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (mine === turn) replace(results, h("li", { class: "form-error" }, error.message));
      return;
    }
    if (mine !== turn) return;
    const needle = q.toLowerCase();
    const found = users
      .filter((u) => `${u.name} ${u.email}`.toLowerCase().includes(needle) && !skip(u))
      .slice(0, SHOWN);
    replace(
      results,
      found.length
        ? found.map((u) =>
            h(
              "li",
              {},
              h(
                "button",
                { type: "button", class: "picker-option", onclick: () => pick(u) },
                `${u.name} · ${u.email}`,
              ),
            ),
          )
        : h("li", { class: "empty" }, "Nobody matches."),
    );
  }

  function check() {
    if (search.value.trim() && !chosen.value) {
      const message = "Pick a person from the list, or clear the box.";
      throw new ApiError(422, "validation_failed", message, { [name]: [message] });
    }
  }

  const soon = debounced(lookUp, 250);
  search.addEventListener("input", () => {
    chosen.value = "";
    said.textContent = hint ?? "";
    soon();
  });
  search.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault(); // Enter looks up at once, it does not send the form
    soon.cancel();
    lookUp();
  });
  said.textContent = hint ?? "";
  const node = h(
    "div",
    { class: "field person-picker", dataset: { field: name } },
    h("label", { for: id }, label),
    search,
    chosen,
    results,
    said,
    h("p", { class: "field-error", id: `${id}-error` }),
  );
  return { node, clear, check };
}
