// A live team feed: pushes are prepended while they follow on; any gap reloads it.
import { h, replace, timeNode } from "./dom.js";
import { loader } from "./refresh.js";

/** Keep `list` (a <ol>) showing the team's feed; `load()` fetches items newest first. */
export class LiveFeed {
  constructor(list, teamId, load) {
    this.list = list;
    this.teamId = teamId;
    this.top = 0;
    // A failed load is said at the top of the list; the next good one empties it.
    this.problem = h("li", { class: "form-error feed-error", role: "alert" });
    list.replaceChildren(this.problem);
    /** Fetch the newest items over HTTP and show them (only the newest answer counts). */
    this.reload = loader(
      load,
      (items) => this.show(items),
      this.problem,
      "Could not load the feed",
    );
  }

  show(items) {
    this.top = items[0]?.position ?? 0;
    replace(
      this.list,
      this.problem,
      items.length ? items.map(feedItem) : h("li", { class: "empty" }, "Nothing has happened yet."),
    );
  }

  /** Take a `feed` push: show it when it follows the newest item shown, else reload. */
  push(payload) {
    if (payload.team_id !== this.teamId) return;
    const { item, after } = payload;
    if (item.position <= this.top) return; // already shown
    if (after !== this.top) {
      this.reload();
      return;
    }
    this.list.querySelector(".empty")?.remove();
    const node = feedItem(item);
    node.classList.add("fresh");
    this.problem.after(node);
    this.top = item.position;
    while (this.list.children.length > 51) this.list.lastElementChild.remove();
  }
}

function feedItem(item) {
  return h(
    "li",
    { class: `feed-item feed-${item.type}`, dataset: { position: item.position } },
    h("span", { class: "text" }, item.text),
    " ",
    timeNode(item.at),
  );
}
