// What an import of people did, or would do: the counts, a row per CSV line with its
// errors and, after a real run, each new person's invitation link to copy.
import { copyText } from "../copy.js";
import { card, h, replace } from "../dom.js";

/** The counts, then a row per line; a real run adds the links, and "Copy all links". */
export function showReport(box, report) {
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
      counts.error > 0 && h("p", { class: "form-error" }, errorAdvice(report.dry_run)),
      links.length > 0 && h("p", {}, emailedLine(links)),
      links.length > 0 && h("div", { class: "buttons" }, copyAll),
      said,
      reportTable(report),
    ),
  );
}

/** Whether the new people's links went out by email, or are to be sent by hand. */
function emailedLine(links) {
  const emailed = links.filter((r) => r.emailed).length;
  if (emailed === links.length) return "Every invitation was also emailed.";
  if (emailed === 0) return "The invitations were not emailed: send each person their link.";
  return `${emailed} of ${links.length} invitations were also emailed; send the others their link.`;
}

/** What to do about lines with errors, before and after a real run. */
function errorAdvice(dryRun) {
  return dryRun
    ? "Lines with errors would be skipped: fix them and check again, or import the others."
    : "Lines with errors were skipped: fix them and import the file again " +
        "(what is already imported does not change).";
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
  const heads = ["Line", "Email", "Status", "Details"];
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
        heads.map((t) => h("th", { scope: "col", class: t === "Line" ? "num" : undefined }, t)),
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
          h("td", { dataset: { label: "Details" } }, rowDetails(row)),
        ),
      ),
    ),
  );
}

/** A line's errors, or what it changes, and a new person's invitation link. */
function rowDetails(row) {
  const list = (items, className) =>
    items?.length > 0 &&
    h(
      "ul",
      { class: className },
      items.map((text) => h("li", {}, text)),
    );
  return h(
    "div",
    { class: "row-details" },
    list(row.errors, "row-errors"),
    list(row.changes, "row-changes"),
    row.emailed && h("p", { class: "hint" }, "Also emailed to them."),
    row.invitation_url &&
      h("input", {
        type: "text",
        readonly: true,
        value: row.invitation_url,
        class: "copy-value",
        "aria-label": `Invitation link for ${row.email}`,
      }),
  );
}
