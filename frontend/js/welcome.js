// The page an invitation link opens (signed out): the invitee sets a password and is
// signed in at once, landing on their team's dashboard.
import { ApiError, post, setCsrfToken } from "./api.js";
import { h, replace } from "./dom.js";
import { bindForm } from "./forms.js";
import { newPasswordFields, typedTwice } from "./passwords.js";

/** Show the invitation's page in `main`; `onSignedIn(session)` once the password is set. */
export function renderWelcome(main, token, onSignedIn) {
  document.title = "Welcome · Wolfpack";
  const form = h(
    "form",
    { class: "card sign-in", "aria-labelledby": "welcome-title" },
    h("h1", { id: "welcome-title" }, "Welcome to Wolfpack"),
    h(
      "p",
      { class: "lead" },
      "You were invited to join your team. Choose a password to sign in with.",
    ),
    ...newPasswordFields(),
    h("button", { type: "submit", class: "primary" }, "Set password and sign in"),
    h("p", { class: "muted" }, "Have an account already? ", h("a", { href: "/" }, "Sign in")),
  );
  bindForm(
    form,
    async (values) => {
      try {
        const session = await post("/auth/accept-invitation", {
          token,
          password: typedTwice(values),
        });
        setCsrfToken(session.csrf_token);
        return session;
      } catch (error) {
        throw besidePassword(error);
      }
    },
    (session) => onSignedIn(session),
  );
  replace(main, h("div", { class: "sign-in-wrap" }, form));
  form.querySelector("input").focus();
}

/** The API names the field `password`; here it is typed as `new_password`. */
function besidePassword(error) {
  if (!(error instanceof ApiError) || !error.fields?.password) return error;
  const { password, ...rest } = error.fields;
  return new ApiError(error.status, error.code, error.message, { ...rest, new_password: password });
}
