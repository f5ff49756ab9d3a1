// Forms: labelled fields, the API's field errors beside their fields, safe retries.
import { ApiError, newRequestKey } from "./api.js";
import { h, uid } from "./dom.js";

/**
 * A labelled form field. `control` is "input" (default), "textarea" or "select";
 * `options` are [value, label] pairs for a select. Errors appear in the <p> below.
 */
export function field(label, name, { control = "input", options = [], hint, ...attrs } = {}) {
  const id = uid(name);
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : undefined;
  const input = h(control, {
    id,
    name,
    "aria-describedby": [hintId, errorId].filter(Boolean).join(" "),
    ...attrs,
  });
  for (const [value, text] of options) input.append(h("option", { value }, text));
  return h(
    "div",
    { class: "field", dataset: { field: name } },
    h("label", { for: id }, label),
    input,
    hint && h("p", { class: "hint", id: hintId }, hint),
    h("p", { class: "field-error", id: errorId }),
  );
}

/** Remove every error message from a form. */
function clearErrors(form) {
  for (const node of form.querySelectorAll(".field-error, .form-error")) node.textContent = "";
  for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
}

/** Show an API error: field messages beside their fields, the rest at the top of the form. */
function showErrors(form, error) {
  clearErrors(form);
  const fields = error instanceof ApiError ? error.fields : {};
  const unplaced = [];
  for (const [name, messages] of Object.entries(fields)) {
    const box = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
    const text = [messages].flat().join(" ");
    if (!box) {
      unplaced.push(`${name}: ${text}`);
      continue;
    }
    box.querySelector(".field-error").textContent = text;
    box.querySelector("input, textarea, select")?.setAttribute("aria-invalid", "true");
  }
  const summary = form.querySelector(".form-error");
  summary.textContent = [error.message, ...unplaced].join(" ");
  const first = form.querySelector("[aria-invalid='true']");
  (first ?? summary).focus?.();
}

/**
 * Make `form` call `submit(values, key)` when sent; `onDone(result, values)` runs after
 * success and the form is reset. The Idempotency-Key is kept until the server has
 * answered for it: pressing again after a lost answer or while the first attempt is
 * still running can never record the command twice.
 */
export function bindForm(form, submit, onDone = () => {}) {
  if (!form.querySelector(".form-error")) {
    form.prepend(h("p", { class: "form-error", role: "alert", tabindex: "-1" }));
  }
  let key = null;
  form.noValidate = true;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit], button:not([type])");
    if (button?.disabled) return;
    clearErrors(form);
    key ??= newRequestKey();
    if (button) button.disabled = true;
    try {
      const values = formValues(form);
      const result = await submit(values, key);
      key = null;
      form.reset();
      await onDone(result, values);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === "idempotency_key_reused") {
        // The earlier attempt, whose answer was lost, was recorded after all; the
        // page shows it once its push or the next refresh arrives.
        key = null;
        showErrors(form, new ApiError(409, error.code, EARLIER_ATTEMPT_RECORDED));
      } else {
        // Any other refusal recorded nothing: the next attempt is a new request. An
        // attempt still running (409 in use), a lost answer or a 5xx keeps the key.
        if (refusedForGood(error)) key = null;
        showErrors(form, error);
      }
    } finally {
      if (button) enable(button);
    }
  });
  return form;
}

const EARLIER_ATTEMPT_RECORDED =
  "Your earlier attempt reached Wolfpack and was recorded, though its answer was lost. " +
  "Send the form again only to record another.";

function refusedForGood(error) {
  return error.status >= 400 && error.status < 500 && error.code !== "idempotency_key_in_use";
}

/** Read a form's named controls; multi-selects and checkbox groups become lists. */
function formValues(form) {
  const values = {};
  for (const element of form.elements) {
    if (!element.name || element.disabled) continue;
    if (element.type === "select-multiple") {
      values[element.name] = Array.from(element.selectedOptions, (o) => o.value);
    } else if (element.type === "checkbox") {
      if (element.value === "on") values[element.name] = element.checked;
      else if (element.checked) (values[element.name] ??= []).push(element.value);
      else values[element.name] ??= [];
    } else {
      values[element.name] = element.value.trim();
    }
  }
  return values;
}

/**
 * Turn a datetime-local value into an ISO time with offset. An empty one becomes
 * undefined, which JSON leaves out: the API then says what is missing, beside the field.
 */
export function toIso(local) {
  return local ? new Date(local).toISOString() : undefined;
}

/** A button that runs an action, disabled while it runs; errors go to `onError`. */
export function actionButton(label, action, { onError, ...attrs } = {}) {
  const button = h("button", { type: "button", ...attrs }, label);
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await action();
    } catch (error) {
      if (!(error instanceof ApiError) || !onError) throw error;
      onError(error);
    } finally {
      enable(button);
    }
  });
  return button;
}

/** Enable a button again; give it back the focus that disabling it dropped to <body>. */
function enable(button) {
  button.disabled = false;
  if (document.activeElement === document.body && button.isConnected && button.offsetParent) {
    button.focus();
  }
}
