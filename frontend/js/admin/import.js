// #/admin/import: people from a CSV (email,name,team,role). "Check" shows what each line
// would do and changes nothing; "Import" makes the accounts, each with an invitation.
import { exchange } from "../api.js";
import { confirmAction } from "../dialog.js";
import { card, h, replace } from "../dom.js";
import { bindForm, field } from "../forms.js";
import { showReport } from "./import_report.js";
import { adminShell } from "./shell.js";

const EXAMPLE = "email,name,team,role\nrosa@example.com,Rosa Diaz,Enterprise North,rep";

export default {
  title: "Import people",
  async render(main, ctx) {
    const lead =
      "Many people at once, from a spreadsheet saved as CSV. A second run changes nothing.";
    if (!adminShell(main, ctx, "Import people", lead)) return;
    const results = h("div", { class: "import-results", "aria-live": "polite" });
    const file = h("input", {
      type: "file",
      id: "import-file",
      accept: ".csv,text/csv,text/plain",
    });
    const form = h(
      "form",
      { class: "import-form", "aria-label": "People to import" },
      h("div", { class: "field" }, h("label", { for: "import-file" }, "CSV file"), file),
      field("People, as CSV", "csv", {
        control: "textarea",
        rows: 8,
        spellcheck: false,
        wrap: "off",
        placeholder: EXAMPLE,
        hint: "Columns email,name,team,role. Team is a team's name (empty: none); role, in that team, is rep or leader (empty: rep).",
      }),
      h(
        "div",
        { class: "buttons" },
        h("button", { type: "submit", value: "check" }, "Check"),
        h(
          "button",
          { type: "button", class: "secondary", disabled: true, id: "import-go" },
          "Import",
        ),
      ),
    );
    const go = form.querySelector("#import-go");
    let checked = null; // the text the last check passed, and what it found

    file.addEventListener("change", async () => {
      const chosen = file.files?.[0];
      if (!chosen) return;
      form.elements.csv.value = await chosen.text();
      form.elements.csv.dispatchEvent(new Event("input", { bubbles: true }));
    });
    form.elements.csv.addEventListener("input", () => {
      checked = null;
      go.disabled = true;
    });

    bindForm(
      form,
      async (values) => {
        form.elements.csv.value = values.csv; // bindForm resets the form once done
        return { text: values.csv, report: await send(values.csv, true) };
      },
      ({ text, report }) => {
        form.elements.csv.value = text;
        // Lines with errors are skipped; the others can go ahead.
        checked = rowsToChange(report) > 0 ? { text, report } : null;
        go.disabled = !checked;
        showReport(results, report);
      },
    );
    go.addEventListener("click", async () => {
      const { counts } = checked.report;
      const n = rowsToChange(checked.report);
      const sure = await confirmAction({
        title: `Import ${n} ${n === 1 ? "person" : "people"}?`,
        body: [
          h("p", {}, `${counts.created} new accounts, each with an invitation link to send.`),
          counts.updated > 0 && h("p", {}, `${counts.updated} people already here are changed.`),
          counts.error > 0 &&
            h("p", {}, `${counts.error} lines with errors are skipped: nothing of them is kept.`),
        ],
        yes: "Import",
        danger: false,
      });
      if (!sure) return;
      go.disabled = true;
      try {
        showReport(results, await send(checked.text, false));
        checked = null;
      } catch (error) {
        go.disabled = false;
        replace(results, h("p", { class: "form-error", role: "alert" }, error.message));
      }
    });
    main.append(card("import-title", "People to import", form), results);
  },
};

/** Send the CSV; dry runs change nothing. */
async function send(text, dryRun) {
  return (await exchange("POST", `/imports/people?dry_run=${dryRun}`, text, { type: "text/csv" }))
    .data;
}

function rowsToChange(report) {
  return report.counts.created + report.counts.updated;
}
