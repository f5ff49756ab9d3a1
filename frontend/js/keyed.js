// Lists refetched over HTTP whose nodes survive a refetch: an unchanged item keeps its
// node, so focus, open <details> and half-typed forms inside it are not lost.
import { ApiError } from "./api.js";
import { h, replace } from "./dom.js";

const known = new WeakMap();

/**
 * Show `items` in `container`, one element per `key(item)`. An item whose `stamp(item)`
 * is unchanged keeps its node; a changed one is passed to `update(node, item)` (or built
 * again when there is no `update`). Any other child (an empty-state line) is removed.
 */
export function syncKeyed(container, items, { key, stamp = (item) => item.version, build, update }) {
  const before = known.get(container) ?? new Map();
  const after = new Map();
  const nodes = items.map((item) => {
    const id = key(item);
    const mark = stamp(item);
    const old = before.get(id);
    let node = old?.node;
    if (!old || (old.mark !== mark && !update)) node = build(item);
    else if (old.mark !== mark) update(node, item);
    after.set(id, { node, mark });
    return node;
  });
  known.set(container, after);
  const wanted = new Set(nodes);
  for (const child of [...container.children]) if (!wanted.has(child)) child.remove();
  // Move only what is out of place: moving a node would take focus away from inside it.
  nodes.forEach((node, index) => {
    const here = container.children[index];
    if (here !== node) container.insertBefore(node, here ?? null);
  });
}

/** Return `fn` delayed until `ms` after the last call (a burst of pushes, one refetch). */
export function debounced(fn, ms = 150) {
  let timer = null;
  const call = () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
  call.cancel = () => clearTimeout(timer);
  return call;
}

/** Show a failed load in `box` instead of a blank; other errors are bugs, rethrown. */
export function loadFailed(box, error) {
  if (!(error instanceof ApiError)) throw error;
  replace(box, h("p", { class: "form-error", role: "alert" }, `Could not load this: ${error.message}`));
}
