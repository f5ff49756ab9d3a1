// Passwords: the reset link's page (signed out) and the change form on one's profile;
// the invitation page (welcome.js) asks for a new one the same way.
import { ApiError, post } from "./api.js";
import { h, replace } from "./dom.js";
import { bindForm, field } from "./forms.js";

const RULE = "At least 12 characters, and not one of the most common passwords.";

/** The new password, twice: a typo caught here cannot lock anyone out. */
export function newPasswordFields() {
  return [
    field("New password", "new_password", {
      type: "password",
      autocomplete: "new-password",
      required: true,
      minlength: 12,
      hint: RULE,
    }),
    field("New password again", "repeat_password", {
      type: "password",
      autocomplete: "new-password",
      required: true,
    }),
  ];
}

/** Return the new password, refusing it beside the second field when they differ. */
export function typedTwice(values) {
  if (values.new_password !== values.repeat_password) {
    const message = "The two new passwords are not the same.";
    throw new ApiError(422, "validation_failed", message, { repeat_password: [message] });
  }
  return values.new_password;
}

/** Show the page a reset link opens in `main`; call `onDone()` once the password is set. */
export function renderResetPassword(main, token, onDone) {
  document.title = "Set a new password · Wolfpack";
  const form = h(
    "form",
    { class: "card sign-in", "aria-labelledby": "reset-title" },
    h("h1", { id: "reset-title" }, "Set a new password"),
    h("p", { class: "lead" }, "Then sign in with it. The link works once."),
    ...newPasswordFields(),
    h("button", { type: "submit", class: "primary" }, "Set password"),
    h("p", { class: "muted" }, h("a", { href: "/" }, "Back to sign-in")),
  );
  bindForm(
    form,
    (values) => post("/auth/reset-password", { token, new_password: typedTwice(values) }),
    () => onDone(),
  );
  replace(main, h("div", { class: "sign-in-wrap" }, form));
  form.querySelector("input").focus();
}

/** The card on one's own profile to change one's password; other sessions end. */
export function changePasswordCard() {
  const status = h("p", { class: "hint", role: "status" });
  const form = h(
    "form",
    { class: "change-password" },
    field("Current password", "current_password", {
      type: "password",
      autocomplete: "current-password",
      required: true,
    }),
    ...newPasswordFields(),
    h("button", { type: "submit" }, "Change password"),
    status,
  );
  bindForm(
    form,
    (values) => {
      status.textContent = "";
      const body = { current_password: values.current_password };
      return post("/me/password", { ...body, new_password: typedTwice(values) });
    },
    () => {
      status.textContent = "Password changed. Your other sessions are signed out.";
    },
  );
  return h(
    "section",
    { class: "card", "aria-labelledby": "password-title" },
    h("h2", { id: "password-title" }, "Password"),
    form,
  );
}
