// What the achievements, targets and charter pages share: refetching when a push
// concerns the team, showing a failed load in the page, and lists that keep the
// items (and any half-typed form in them) that did not change.
import { ApiError } from "./api.js";
import { h } from "./dom.js";
import { onLive } from "./live.js";

const REFRESH_MS = 150;

/**
 * Call `load` (debounced) when one of `events` arrives for `teamId`, and on "resync".
 * Return the cleanup: unsubscribe and cancel a pending call.
 */
export function refetchOn(teamId, events, load) {
  let timer = null;
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(load, REFRESH_MS);
  };
  const stops = events.map((event) => onLive(event, (push) => push?.team_id === teamId && soon()));
  stops.push(onLive("resync", soon));
  return () => {
    clearTimeout(timer);
    for (const stop of stops) stop();
  };
}

/** An alert line for a failed load; empty (and hidden) otherwise. */
export function loadError() {
  return h("p", { class: "form-error load-error", role: "alert" });
}

/**
 * Wrap `fetchAll` and `show(data)` into a `load()` that only shows the newest answer
 * and puts a refusal's message in `errorBox` instead of leaving the page blank.
 */
export function loader(fetchAll, show, errorBox) {
  let turn = 0;
  return async function load() {
    const mine = ++turn;
    try {
      const data = await fetchAll();
      if (mine !== turn) return;
      errorBox.textContent = "";
      show(data);
    } catch (error) {
      if (mine !== turn) return;
      if (!(error instanceof ApiError)) throw error;
      errorBox.textContent = `Could not load this page: ${error.message}`;
    }
  };
}

/**
 * Keep `list` showing items, rendering only those whose key (id and version) is new:
 * an unchanged item keeps its node, so a form being typed in it survives a refetch.
 */
export function keyedList(list) {
  let nodes = new Map();
  return function show(items, keyOf, render, emptyText) {
    const next = new Map();
    const wanted = items.map((item) => {
      const key = keyOf(item);
      const node = nodes.get(key) ?? render(item);
      next.set(key, node);
      return node;
    });
    nodes = next;
    if (!wanted.length) wanted.push(h("li", { class: "empty" }, emptyText));
    // Drop the gone first, so the items that stay are not moved (moving loses focus).
    const kept = new Set(wanted);
    for (const child of [...list.children]) if (!kept.has(child)) child.remove();
    wanted.forEach((node, index) => {
      const here = list.children[index] ?? null;
      if (here !== node) list.insertBefore(node, here);
    });
  };
}

/** The key of a versioned resource, for keyedList. */
export const byVersion = (item) => `${item.id}:${item.version}`;

/** A place for an action's refusal, inside the item it concerns. */
export function itemError() {
  return h("p", { class: "form-error", role: "alert", tabindex: "-1" });
}

/** Put an action's refusal in `box` and bring it to attention. */
export function showItemError(box, error) {
  box.textContent = error.message;
  box.focus();
}
