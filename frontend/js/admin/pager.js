// "Previous" and "Next" under a list, and which part of it is shown.
import { h } from "../dom.js";

/**
 * A pager calling `go(step)` (-1 or +1) on its buttons. `show({first, last, total,
 * hasPrevious, hasNext})` says "Showing 1–50 of 312" (total may be unknown).
 */
export function pager(go, noun = "people") {
  const said = h("p", { class: "pager-status", role: "status" });
  const previous = h("button", { type: "button", class: "secondary" }, "Previous");
  const next = h("button", { type: "button", class: "secondary" }, "Next");
  previous.addEventListener("click", () => go(-1));
  next.addEventListener("click", () => go(1));
  const buttons = h("div", { class: "buttons" }, previous, next);
  const node = h("div", { class: "pager" }, said, buttons);

  function show({ first, last, total, hasPrevious, hasNext }) {
    if (!last) said.textContent = total === 0 ? `No ${noun} match.` : "Nothing on this page.";
    else if (total === undefined) said.textContent = `Showing ${first}–${last}`;
    else said.textContent = `Showing ${first}–${last} of ${total}`;
    previous.disabled = !hasPrevious;
    next.disabled = !hasNext;
    // One page only: the buttons would do nothing.
    buttons.hidden = !hasPrevious && !hasNext;
  }
  return { node, show };
}

/** Show page `state.page` of `items`, `size` to a page, in `paging`: return its items. */
export function pageOf(paging, items, state, size) {
  state.page = Math.min(state.page, Math.max(0, Math.ceil(items.length / size) - 1));
  const start = state.page * size;
  const shown = items.slice(start, start + size);
  paging.show({
    first: shown.length ? start + 1 : 0,
    last: start + shown.length,
    total: items.length,
    hasPrevious: state.page > 0,
    hasNext: start + size < items.length,
  });
  return shown;
}
