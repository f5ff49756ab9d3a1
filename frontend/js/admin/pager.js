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
