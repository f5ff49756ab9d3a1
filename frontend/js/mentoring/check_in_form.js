// The mentor's check-in form: held on, notes, confidence and a list of action items.
import { ApiError, post } from "../api.js";
import { h, uid } from "../dom.js";
import { bindForm, field } from "../forms.js";
import { todayNotAfterUtc } from "../periods.js";

const CONFIDENCE = [
  ["", "Choose…"],
  ["1", "1 · Not confident"],
  ["2", "2 · Unsure"],
  ["3", "3 · Getting there"],
  ["4", "4 · Confident"],
  ["5", "5 · Very confident"],
];
const NOTES_MAX = 4000;
const ITEM_MAX = 500;
const ITEMS_MAX = 20;

/** The form logging a check-in of mentorship `m` with `name`; `onDone()` runs after. */
export function checkInForm(m, name, onDone) {
  const today = todayNotAfterUtc(); // the server refuses days after today in UTC
  const errorId = uid("action_items-error");
  const rows = h("ol", { class: "plain item-inputs" });
  const add = h("button", { type: "button", class: "secondary" }, "Add an action item");
  const box = h(
    "fieldset",
    { class: "field action-items", dataset: { field: "action_items" } },
    h("legend", {}, "Action items"),
    h("p", { class: "hint" }, "What is to be done before the next check-in; leave empty for none."),
    rows,
    h("div", { class: "buttons" }, add),
    h("p", { class: "field-error", id: errorId }),
  );
  const form = h(
    "form",
    { class: "check-in-form", "aria-label": `Check-in with ${name}` },
    field("Held on", "held_on", { type: "date", value: today, max: today }),
    field("Notes", "notes", { control: "textarea", maxlength: NOTES_MAX, rows: 4 }),
    field("Confidence", "confidence", {
      control: "select",
      options: CONFIDENCE,
      hint: "How confident the mentee feels, from 1 to 5.",
    }),
    box,
    h("button", { type: "submit" }, "Log check-in"),
  );

  function addRow() {
    const id = uid("action-item");
    const input = h("input", {
      id,
      type: "text",
      maxlength: ITEM_MAX,
      "aria-describedby": errorId,
    });
    const remove = h("button", { type: "button", class: "link-button" }, "Remove");
    const row = h(
      "li",
      { class: "item-input" },
      h("label", { for: id }),
      h("div", { class: "item-input-row" }, input, remove),
    );
    remove.addEventListener("click", () => {
      const next = row.nextElementSibling ?? row.previousElementSibling;
      row.remove();
      renumber();
      (next?.querySelector("input") ?? add).focus();
    });
    rows.append(row);
    renumber();
    return input;
  }

  function renumber() {
    [...rows.children].forEach((row, index) => {
      row.querySelector("label").textContent = `Action item ${index + 1}`;
      row.querySelector("button").setAttribute("aria-label", `Remove action item ${index + 1}`);
    });
    add.disabled = rows.children.length >= ITEMS_MAX;
  }

  add.addEventListener("click", () => addRow().focus());
  addRow();
  const texts = () =>
    [...rows.querySelectorAll("input")].map((i) => i.value.trim()).filter(Boolean);

  return bindForm(
    form,
    (values, key) => {
      const body = { notes: values.notes, action_items: texts() };
      if (values.held_on) body.held_on = values.held_on;
      if (values.confidence) body.confidence = Number(values.confidence);
      return post(`/mentorships/${m.id}/check-ins`, body, { key }).catch(flattenItemErrors);
    },
    async () => {
      rows.replaceChildren();
      addRow();
      await onDone();
    },
  );
}

/** The API names a bad action item by its index: say "Action item 2: …" beside the list. */
function flattenItemErrors(error) {
  const found = error instanceof ApiError ? error.fields.action_items : undefined;
  if (found && typeof found === "object" && !Array.isArray(found)) {
    error.fields.action_items = Object.entries(found).map(
      ([index, messages]) => `Action item ${Number(index) + 1}: ${[messages].flat().join(" ")}`,
    );
  }
  throw error;
}
