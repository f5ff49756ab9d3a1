// Lists refetched over HTTP whose nodes survive a refetch: an unchanged item keeps its
// node, so focus, open <details> and half-typed forms inside it are not lost. A changed
// item that held the focus hands it to its new node, so keyboard users keep their place.
import { h } from "./dom.js";

const known = new WeakMap(); // container → Map(key → {node, mark})
const dropped = new WeakMap(); // container → element inside it whose focus was dropped

/**
 * Show `items` in `container`, one node per `key(item)` (the id by default). An item
 * whose `stamp(item)` (its version by default) is unchanged keeps its node; a changed
 * one is passed to `update(node, item)`, or built again by `build(item, oldNode)` when
 * there is no `update`. Without items, the `empty` text (if any) is the only line.
 * The focus inside a changed or vanished item moves to the item that takes its place.
 */
export function syncKeyed(
  container,
  items,
  { key = (item) => item.id, stamp = (item) => item.version, build, update, empty },
) {
  trackFocus(container);
  const before = known.get(container) ?? new Map();
  const oldNodes = [...container.children];
  const focused = [...before.values()].find((entry) => heldFocus(container, entry.node))?.node;
  const field = focused && fieldOf(focused, document.activeElement);
  const after = new Map();
  let refocus = null;
  const nodes = items.map((item) => {
    const id = key(item);
    const mark = stamp(item);
    const old = before.get(id);
    let node = old?.node;
    if (!old || (old.mark !== mark && !update)) node = build(item, old?.node);
    else if (old.mark !== mark) update(node, item);
    if (old && old.node === focused && old.mark !== mark) refocus = node;
    after.set(id, { node, mark });
    return node;
  });
  known.set(container, after);
  if (!nodes.length && empty) nodes.push(emptyLine(container, empty));
  place(container, nodes);
  // A focused item that left the list: its place goes to the one now where it was.
  if (focused && !focused.isConnected && !refocus) {
    const index = Math.max(0, oldNodes.indexOf(focused));
    refocus = nodes[Math.min(index, nodes.length - 1)] ?? null;
  }
  if (refocus && !refocus.contains(document.activeElement)) focusItem(refocus, field);
}

/**
 * Remember, for `container`, an element inside it whose focus was dropped rather than
 * moved: a button disabled while its command runs, or hidden when its <details> closes.
 * The browser then puts the focus on <body>; the item rebuilt next takes it back.
 */
export function trackFocus(container) {
  if (dropped.has(container)) return;
  dropped.set(container, null);
  container.addEventListener("focusin", () => dropped.set(container, null));
  container.addEventListener("focusout", (event) => {
    const { target } = event;
    const lost = !event.relatedTarget && (target.disabled || !target.checkVisibility?.());
    dropped.set(container, lost ? target : null);
  });
}

/** Whether `node` (inside a `trackFocus` container) has the focus, or had it when it was dropped. */
export function heldFocus(container, node) {
  const active = document.activeElement;
  if (active && active !== document.body) return node.contains(active);
  const last = dropped.get(container);
  return Boolean(last && node.contains(last));
}

/**
 * Where a form field being typed in sits inside `node`: {form: its form's index among
 * the node's forms, name}. A rebuilt node gets the focus back in the same field.
 */
export function fieldOf(node, element) {
  if (!element?.name || !element.form || !node.contains(element)) return null;
  return { form: [...node.querySelectorAll("form")].indexOf(element.form), name: element.name };
}

/**
 * Focus, in `node`, the same `field` (see fieldOf) when it is shown there; else the
 * node's first link or heading (else its title, else itself), made focusable.
 */
export function focusItem(node, field = null) {
  const same = field && node.querySelectorAll("form")[field.form]?.elements.namedItem(field.name);
  if (same instanceof HTMLElement && same.checkVisibility?.()) {
    same.focus();
    return;
  }
  const first = node.querySelector("a[href], h1, h2, h3, h4, h5, h6");
  // A heading that is a link: the link, which is focusable as it is.
  const target =
    first?.querySelector("a[href]") ?? first ?? node.querySelector(".item-title") ?? node;
  if (!target.matches("a[href], button, input, select, textarea, summary, [tabindex]")) {
    target.setAttribute("tabindex", "-1");
  }
  target.focus();
}

/** The empty-state line: the one shown already when it says the same. */
function emptyLine(container, text) {
  const shown = [...container.children].find(
    (child) => child.classList.contains("empty") && child.textContent === text,
  );
  return shown ?? h("li", { class: "empty" }, text);
}

/** Make `nodes` the children of `container`, moving as few as possible. */
function place(container, nodes) {
  const wanted = new Set(nodes);
  for (const child of [...container.children]) if (!wanted.has(child)) child.remove();
  // Move only what is out of place: moving a node would take focus away from inside it.
  nodes.forEach((node, index) => {
    const here = container.children[index];
    if (here !== node) container.insertBefore(node, here ?? null);
  });
}
