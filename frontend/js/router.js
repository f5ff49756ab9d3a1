// Hash routes: "#/commitments", "#/profile/<id>". Each page renders into <main>.
import { h } from "./dom.js";

let routes = [];
let outlet = null;
let context = null;
let cleanup = null;
let shown = 0;

/** Start routing: table is [[pattern, loadPage]]; context is handed to every page. */
export function startRouter(table, main, ctx) {
  routes = table;
  outlet = main;
  context = ctx;
  window.addEventListener("hashchange", show);
  return show();
}

/** Stop routing (signing out) and clean the current page up. */
export function stopRouter() {
  window.removeEventListener("hashchange", show);
  shown += 1; // a page still loading is never shown
  if (cleanup) cleanup();
  cleanup = null;
  outlet?.removeAttribute("aria-busy");
}

/** Render the current page again (the team changed). */
export function rerender() {
  return show();
}

async function show() {
  const hash = location.hash || "#/";
  const turn = ++shown;
  const route = routes.find(([pattern]) => pattern.test(hash));
  if (!route) {
    location.hash = "#/";
    return;
  }
  const params = hash
    .match(route[0])
    .slice(1)
    .map((part) => part && decodeURIComponent(part));
  // The page being left stops listening at once; it stays in view, marked busy, until
  // the next is ready.
  if (cleanup) cleanup();
  cleanup = null;
  outlet.setAttribute("aria-busy", "true");
  const page = (await route[1]()).default;
  const view = h("div", { class: "page" });
  let done = null;
  try {
    done = (await page.render(view, context, ...params)) ?? null;
  } catch (error) {
    console.error(error);
    view.replaceChildren(
      h("h1", {}, page.title),
      h("p", { class: "form-error", role: "alert" }, `Could not open this page: ${error.message}`),
    );
  }
  if (turn !== shown) {
    // The user moved on while this page loaded: it is never shown.
    if (done) done();
    return;
  }
  cleanup = done;
  outlet.replaceChildren(view);
  outlet.removeAttribute("aria-busy");
  markCurrent(hash);
  const heading = view.querySelector("h1");
  document.title = `${heading?.textContent || page.title} · Wolfpack`;
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
}

/** Mark the header's link to the page shown (pages mark their own navigation). */
function markCurrent(hash) {
  for (const link of document.querySelectorAll("header nav a[href^='#/']")) {
    const target = link.getAttribute("href");
    const here = target === "#/" ? hash === "#/" : hash.startsWith(target);
    if (here) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}
