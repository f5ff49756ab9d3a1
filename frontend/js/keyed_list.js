// Lists refetched over HTTP whose nodes survive a refetch: an unchanged item keeps its
// node, so focus, open <details> and half-typed forms inside it are not lost.
import { h } from "./dom.js";

const known = new WeakMap(); // container → Map(key → {node, mark})

/**
 * Show `items` in `container`, one node per `key(item)` (the id by default). An item
 * whose `stamp(item)` (its version by default) is unchanged keeps its node; a changed
 * one is passed to `update(node, item)`, or built again by `build(item, oldNode)` when
 * there is no `update`. Without items, the `empty` text (if any) is the only line.
 */
export function syncKeyed(
  container,
  items,
  { key = (item) => item.id, stamp = (item) => item.version, build, update, empty },
) {
  const before = known.get(container) ?? new Map();
  const after = new Map();
  const nodes = items.map((item) => {
    const id = key(item);
    const mark = stamp(item);
    const old = before.get(id);
    let node = old?.node;
    if (!old || (old.mark !== mark && !update)) node = build(item, old?.node);
    else if (old.mark !== mark) update(node, item);
    after.set(id, { node, mark });
    return node;
  });
  known.set(container, after);
  if (!nodes.length && empty) nodes.push(emptyLine(container, empty));
  place(container, nodes);
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
