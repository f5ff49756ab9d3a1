// What every admin page starts with: the heading, the admin sections' own navigation,
// and, for anyone who is not an admin, a clear refusal instead.
import { append, h } from "../dom.js";

const SECTIONS = [
  ["#/admin", "People"],
  ["#/admin/teams", "Teams"],
  ["#/admin/access", "Access"],
  ["#/admin/import", "Import"],
  ["#/admin/log", "Admin log"],
];

/**
 * Put the page's heading and the admin navigation in `main`; return false (having said
 * why) when the signed-in person is not an admin, so the page shows nothing else.
 */
export function adminShell(main, ctx, title, lead) {
  if (!ctx.user?.is_admin) {
    main.append(
      h("h1", {}, title),
      h(
        "p",
        { class: "empty admins-only", role: "alert" },
        "Admins only: this page manages people, teams and access for the whole workspace. " +
          "Ask an admin if something here needs changing.",
      ),
    );
    return false;
  }
  append(main, [h("h1", {}, title), adminNav(), lead && h("p", { class: "lead" }, lead)]);
  return true;
}

/** The admin sections, the current one marked. */
function adminNav() {
  const hash = location.hash.split("?")[0];
  const current = (href) =>
    href === "#/admin" ? hash === "#/admin" : hash === href || hash.startsWith(`${href}/`);
  return h(
    "nav",
    { class: "admin-nav", "aria-label": "Admin" },
    h(
      "ul",
      {},
      SECTIONS.map(([href, label]) =>
        h("li", {}, h("a", { href, "aria-current": current(href) && "page" }, label)),
      ),
    ),
  );
}

/**
 * Tell the app shell that teams, or the signed-in admin's own account, changed: it
 * reads them again, so the header's team picker and its Admin entry stay true.
 */
export function workspaceChanged() {
  window.dispatchEvent(new CustomEvent("wolfpack:workspace-changed"));
}
