// A live team feed: pushes are prepended while they follow on; any gap reloads it.
import { ApiError } from "./api.js";
import { h, replace, timeNode } from "./dom.js";

/** Keep `list` (a <ol>) showing the team's feed; `load()` fetches items newest first. */
export class LiveFeed {
  constructor(list, teamId, load) {
    this.list = list;
    this.teamId = teamId;
    this.load = load;
    this.top = 0;
  }

  /** Fetch the newest items over HTTP and show them (only the newest answer counts). */
  async reload() {
    const turn = (this.turn = (this.turn ?? 0) + 1);
    let items;
    try {
      items = await this.load();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (turn === this.turn) {
        this.list.querySelector(".feed-error")?.remove();
        const line = `Could not load the feed: ${error.message}`;
        this.list.prepend(h("li", { class: "form-error feed-error", role: "alert" }, line));
      }
      return;
    }
    if (turn !== this.turn) return;
    this.top = items[0]?.position ?? 0;
    replace(
      this.list,
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
    this.list.prepend(node);
    this.top = item.position;
    while (this.list.children.length > 50) this.list.lastElementChild.remove();
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
