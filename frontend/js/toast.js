// Short messages in a corner: badges earned, commands done, connection trouble.
import { h } from "./dom.js";

const SHOWN_MS = 6000;

/** Show a toast; kind is "info", "success", "badge" or "error". */
export function toast(message, kind = "info") {
  const region = document.getElementById("toasts");
  if (!region) return;
  const item = h("div", { class: `toast toast-${kind}` }, message);
  region.append(item);
  setTimeout(() => item.remove(), SHOWN_MS);
}
