// The sign-in form, shown whenever nobody is signed in.
import { post, setCsrfToken } from "./api.js";
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
  replace(main, h("div", { class: "sign-in-wrap" }, form));
  form.querySelector("input").focus();
}
