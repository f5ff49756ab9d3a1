// Hash routes: "#/commitments", "#/profile/<id>". Each page renders into <main>.

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
  if (cleanup) cleanup();
  cleanup = null;
}

/** Render the current page again (the team changed). */
export function rerender() {
  return show();
}

async function show() {
  const hash = location.hash || "#/";
  const turn = ++shown;
  for (const [pattern, load] of routes) {
    const match = hash.match(pattern);
    if (!match) continue;
    const page = (await load()).default;
    if (turn !== shown) return; // the user has moved on meanwhile
    if (cleanup) cleanup();
    cleanup = null;
    outlet.replaceChildren();
    document.title = `${page.title} · Wolfpack`;
    cleanup =
      (await page.render(outlet, context, ...match.slice(1).map(decodeURIComponent))) ?? null;
    markCurrent(hash);
    const heading = outlet.querySelector("h1");
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
    return;
  }
  location.hash = "#/";
}

function markCurrent(hash) {
  for (const link of document.querySelectorAll("nav a[href^='#/']")) {
    const target = link.getAttribute("href");
    const here = target === "#/" ? hash === "#/" : hash.startsWith(target);
    if (here) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}
