// Secrets and links shown once, in a read-only field with a Copy button.
import { h, uid } from "./dom.js";

/** Copy `text`; say so in `said`, or select `input` for Ctrl+C when the browser refuses. */
export async function copyText(text, said, input, done = "Copied.") {
  try {
    if (!navigator.clipboard) throw new Error("no clipboard");
    await navigator.clipboard.writeText(text);
    said.textContent = done;
  } catch {
    input?.focus();
    input?.select();
    said.textContent = input
      ? "Selected: press Ctrl+C (⌘C on a Mac) to copy it."
      : "Could not copy: select the text and press Ctrl+C (⌘C on a Mac).";
  }
}

/**
 * A labelled read-only field holding `value`, a Copy button (`copyLabel`) and a status
 * line saying `done` once copied. Return {node, input}.
 */
export function copyField(label, value, { copyLabel = "Copy", done, id = uid("copy") } = {}) {
  const input = h("input", { id, type: "text", readonly: true, value, class: "copy-value" });
  const said = h("p", { class: "hint", role: "status" });
  const copy = h("button", { type: "button", class: "primary" }, copyLabel);
  copy.addEventListener("click", () => copyText(value, said, input, done));
  const node = h(
    "div",
    { class: "copy-field" },
    h("label", { for: id }, label),
    h("div", { class: "copy-row" }, input, copy),
    said,
  );
  return { node, input };
}
