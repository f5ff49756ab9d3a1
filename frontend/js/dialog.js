// Native <dialog>s: a question before an irreversible action, and a panel with a form.
import { h, uid } from "./dom.js";

/**
 * Ask before an irreversible action; resolve true when confirmed. `body` says what
 * will happen (text or nodes); `yes` names the action on its button ("Deactivate").
 */
export function confirmAction({ title, body, yes, danger = true }) {
  return new Promise((resolve) => {
    const dialog = panel(title, [
      h("div", { class: "dialog-body" }, body),
      h(
        "form",
        { method: "dialog", class: "buttons dialog-buttons" },
        h("button", { value: "cancel", class: "secondary", autofocus: true }, "Cancel"),
        h("button", { value: "yes", class: danger ? "danger-solid" : "primary" }, yes),
      ),
    ]);
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "yes"));
  });
}

/**
 * Open a modal <dialog> titled `title` holding `content`; it leaves the page when
 * closed, giving the focus back to what had it. Return the dialog.
 */
export function panel(title, content) {
  const opener = document.activeElement;
  const titleId = uid("dialog");
  const close = h("button", { type: "button", class: "dialog-close", "aria-label": "Close" }, "×");
  const dialog = h(
    "dialog",
    { class: "dialog", "aria-labelledby": titleId },
    h("div", { class: "dialog-head" }, h("h2", { id: titleId }, title), close),
    content,
  );
  close.addEventListener("click", () => dialog.close("cancel"));
  dialog.addEventListener("close", () => {
    dialog.remove();
    if (opener?.isConnected) opener.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}
