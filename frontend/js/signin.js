// The sign-in form, shown whenever nobody is signed in; on a fresh install, how to
// create the first admin.
import { ApiError, get, post, setCsrfToken } from "./api.js";
import { copyText } from "./copy.js";
import { h, replace } from "./dom.js";
import { bindForm, field } from "./forms.js";

/** Show the sign-in form in `main`; call `onSignedIn()` once it worked. */
export function renderSignIn(main, onSignedIn) {
  document.title = "Sign in · Wolfpack";
  const form = h(
    "form",
    { class: "card sign-in", "aria-labelledby": "sign-in-title" },
    h("h1", { id: "sign-in-title" }, "Sign in to Wolfpack"),
    h("p", { class: "lead" }, "Promises kept, wins recognised, a history nobody can rewrite."),
    field("Email", "email", { type: "email", autocomplete: "username", required: true }),
    field("Password", "password", {
      type: "password",
      autocomplete: "current-password",
      required: true,
    }),
    h("button", { type: "submit", class: "primary" }, "Sign in"),
  );
  bindForm(
    form,
    async (values) => {
      const session = await post("/auth/login", values);
      setCsrfToken(session.csrf_token);
      return session;
    },
    () => onSignedIn(),
  );
  const wrap = h("div", { class: "sign-in-wrap" }, h("div", { class: "sign-in-stack" }, form));
  replace(main, wrap);
  form.querySelector("input").focus();
  explainFirstRun(form);
}

const FIRST_ADMIN =
  "flask --app wsgi users create \\\n" +
  "    you@example.com \\\n" +
  '    --name "Your Name" --admin';

/** When nobody has an account yet, say above the form how to create the first admin. */
async function explainFirstRun(form) {
  let state;
  try {
    state = await get("/auth/setup-state");
  } catch (error) {
    if (error instanceof ApiError) return; // the server cannot say: the form alone
    throw error;
  }
  if (state.has_users || !form.isConnected) return;
  const said = h("p", { class: "hint", role: "status" });
  const copy = h("button", { type: "button" }, "Copy command");
  copy.addEventListener("click", () =>
    copyText(FIRST_ADMIN, said, null, "Copied: paste it in a terminal on the server."),
  );
  form.before(
    h(
      "section",
      { class: "card first-run", "aria-labelledby": "first-run-title" },
      h("h2", { id: "first-run-title" }, "Nobody has an account yet"),
      h(
        "p",
        {},
        "Create the first admin on the server, in the folder Wolfpack runs from, " +
          "with your own email and name:",
      ),
      h("pre", {}, h("code", {}, FIRST_ADMIN)),
      h("div", { class: "buttons" }, copy),
      said,
      h(
        "p",
        { class: "muted" },
        "It asks for a password twice (at least 12 characters). Then sign in here with that " +
          "email and password, and invite everyone else from the Admin page.",
      ),
    ),
  );
}
