// What a page says instead of, or beside, what it shows: that there is no team yet,
// that a load failed, that an action was refused.
import { h } from "./dom.js";

const NO_TEAM = "You are not in a team yet. Ask your admin to add you to one.";

/** Say in `main`, under the page's heading, that there is no team to show. */
export function notInTeam(main, title) {
  main.append(h("h1", {}, title), h("p", {}, NO_TEAM));
}

/** An alert line for a failed load: empty (and hidden) until a `loader` fills it. */
export function loadError(text = "") {
  return h("p", { class: "form-error load-error", role: "alert" }, text);
}

/** A place for an action's refusal, inside the item it concerns. */
export function itemError() {
  return h("p", { class: "form-error", role: "alert", tabindex: "-1" });
}

/** Put an action's refusal in `box` and bring it to attention. */
export function showItemError(box, error) {
  box.textContent = error.message;
  box.focus();
}
