// #/admin/import: people from a CSV (email,name,team,role). "Check" shows what each line
// would do and changes nothing; "Import" makes the accounts, each with an invitation.
import { exchange } from "../api.js";
import { copyText } from "../copy.js";
import { confirmAction } from "../dialog.js";
import { card, h, replace } from "../dom.js";
import { bindForm, field } from "../forms.js";
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
        placeholder: EXAMPLE,
        hint: "Columns email,name,team,role. Team is a team's name (empty: none); role is rep or leader (empty: rep).",
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
        checked = report.counts.error === 0 && rowsToChange(report) > 0 ? { text, report } : null;
        go.disabled = !checked;
        showReport(results, report);
      },
    );
    go.addEventListener("click", async () => {
      const n = rowsToChange(checked.report);
      const sure = await confirmAction({
        title: `Import ${n} ${n === 1 ? "person" : "people"}?`,
        body: `${checked.report.counts.created} new accounts are made, each with an invitation link; ${checked.report.counts.updated} are changed.`,
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

/** The counts, then a row per line; a real run adds the links, and "Copy all links". */
function showReport(box, report) {
  const { counts } = report;
  const links = report.rows.filter((r) => r.invitation_url);
  const said = h("p", { class: "hint", role: "status" });
  const copyAll = h(
    "button",
    { type: "button", class: "primary" },
    `Copy all ${links.length} links`,
  );
  copyAll.addEventListener("click", () =>
    copyText(
      links.map((r) => `${r.email}\t${r.invitation_url}`).join("\n"),
      said,
      null,
      "Copied: one line per person, email then link.",
    ),
  );
  const title = report.dry_run ? "Check: nothing has changed yet" : "Imported";
  replace(
    box,
    card(
      "import-report-title",
      title,
      h("p", { class: "import-counts" }, countsLine(report)),
      counts.error > 0 &&
        h(
          "p",
          { class: "form-error" },
          "Fix the lines with errors, then check again: nothing is imported while any line has one.",
        ),
      links.length > 0 && h("div", { class: "buttons" }, copyAll),
      said,
      reportTable(report),
    ),
  );
}

/** "3 to create, 1 to update, 36 unchanged, 0 with errors" (after a run: "created"). */
function countsLine({ counts, dry_run: dryRun }) {
  const [made, changed] = dryRun ? ["to create", "to update"] : ["created", "updated"];
  return (
    `${counts.created} ${made}, ${counts.updated} ${changed}, ` +
    `${counts.unchanged} unchanged, ${counts.error} with errors.`
  );
}

function reportTable(report) {
  return h(
    "table",
    { class: "stack import-rows" },
    h("caption", { class: "visually-hidden" }, "Line by line"),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ["Line", "Email", "Status", report.dry_run ? "Errors" : "Errors or link"].map((t) =>
          h("th", { scope: "col" }, t),
        ),
      ),
    ),
    h(
      "tbody",
      {},
      report.rows.map((row) =>
        h(
          "tr",
          { class: `import-row ${row.status}` },
          h("td", { class: "num", dataset: { label: "Line" } }, String(row.line)),
          h("td", { dataset: { label: "Email" } }, row.email ?? ""),
          h(
            "td",
            { dataset: { label: "Status" } },
            h("span", { class: `pill ${row.status}` }, row.status),
          ),
          h(
            "td",
            { dataset: { label: row.invitation_url ? "Link" : "Errors" } },
            row.errors?.length
              ? h(
                  "ul",
                  { class: "row-errors" },
                  row.errors.map((e) => h("li", {}, e)),
                )
              : "",
            row.invitation_url &&
              h("input", {
                type: "text",
                readonly: true,
                value: row.invitation_url,
                class: "copy-value",
                "aria-label": `Invitation link for ${row.email}`,
              }),
          ),
        ),
      ),
    ),
  );
}
