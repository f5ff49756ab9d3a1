// Managing one person, in a dialog: name and email, admin or not, a password-reset (or
// fresh invitation) link, and deactivating or reactivating the account.
import { patch, post } from "../api.js";
import { copyField } from "../copy.js";
import { confirmAction, panel } from "../dialog.js";
import { formatTime, h, replace } from "../dom.js";
import { actionButton, bindForm, field } from "../forms.js";
import { itemError, showItemError } from "../notices.js";
import { toast } from "../toast.js";
import { workspaceChanged } from "./shell.js";

/** Open the dialog for `user`; `onListChanged(user)` runs after every change it makes. */
export function managePerson(user, me, onListChanged) {
  const problem = itemError();
  const access = h("div", { class: "person-access" });
  const linkBox = h("div", { "aria-live": "polite" });
  const form = detailsForm(
    user,
    () => user,
    async (saved) => {
      user = saved;
      await onChanged(saved);
      showAccess();
    },
  );
  const status = h("p", { class: "muted" }, statusLine(user));
  const dialog = panel(`Manage ${user.name}`, [
    status,
    form,
    h("h3", {}, "Access"),
    problem,
    access,
    linkBox,
  ]);

  /** Run a change; a refusal shows in the dialog. */
  const act = (label, action, attrs = {}) =>
    actionButton(label, action, { ...attrs, onError: (error) => showItemError(problem, error) });

  async function change(body, said) {
    problem.textContent = "";
    user = await patch(`/users/${user.id}`, body, { ifMatch: user.version });
    toast(said, "success");
    await onChanged(user);
    showAccess();
  }

  /** After any change: the list refreshes; one's own account, the app shell too. */
  async function onChanged(saved) {
    if (saved.id === me.id) workspaceChanged();
    await onListChanged(saved);
  }

  function showAccess() {
    status.textContent = statusLine(user);
    const self = user.id === me.id;
    replace(
      access,
      h(
        "div",
        { class: "buttons" },
        user.is_admin
          ? act("Remove admin", async () => {
              const sure = await confirmAction({
                title: `Remove ${user.name} as admin?`,
                body: self
                  ? "You will no longer see the admin pages: another admin must give them back."
                  : `${user.name} can no longer manage people, teams and access.`,
                yes: "Remove admin",
              });
              if (sure) await change({ is_admin: false }, `${user.name} is no longer an admin.`);
            })
          : act("Make admin", () => change({ is_admin: true }, `${user.name} is now an admin.`)),
        user.status === "invited"
          ? act("New invitation link", () => showLink("invite"))
          : act("Password-reset link", () => showLink("reset"), { disabled: !user.active }),
        user.active
          ? act(`Deactivate`, deactivate, { class: "danger", disabled: self })
          : act("Reactivate", () => change({ active: true }, `${user.name} can sign in again.`)),
      ),
      self && h("p", { class: "hint" }, "You cannot deactivate yourself."),
    );
  }

  async function deactivate() {
    const sure = await confirmAction({
      title: `Deactivate ${user.name}?`,
      body: [
        h("p", {}, `${user.name} (${user.email}) is signed out everywhere at once:`),
        h(
          "ul",
          {},
          h("li", {}, "every session ends and live connections close;"),
          h("li", {}, "their API tokens are revoked;"),
          h("li", {}, "they cannot sign in until an admin reactivates the account."),
        ),
        h("p", {}, "Their history, points and commitments stay as they are."),
      ],
      yes: "Deactivate",
    });
    if (sure)
      await change({ active: false }, `${user.name} is deactivated and signed out everywhere.`);
  }

  async function showLink(kind) {
    problem.textContent = "";
    const made =
      kind === "reset"
        ? await post(`/users/${user.id}/password-reset`, {})
        : await post("/invitations", { email: user.email, name: user.name });
    const label = kind === "reset" ? "Password-reset link" : "Invitation link";
    const { node, input } = copyField(label, made.url, {
      copyLabel: "Copy link",
      done: `Copied: send it to ${user.name}.`,
    });
    replace(
      linkBox,
      h(
        "div",
        { class: "reveal" },
        h(
          "p",
          {},
          `Works once, until ${formatTime(made.expires_at)}. An earlier link stops working.`,
        ),
        node,
      ),
    );
    input.focus();
    input.select();
  }

  showAccess();
  return dialog;
}

/** "Status: active · admin", the dialog's first line. */
function statusLine(user) {
  return `Status: ${[user.status, user.is_admin && "admin"].filter(Boolean).join(" · ")}`;
}

/**
 * The form changing a person's name and email, shown as `user`; `now()` is the person
 * as last read (with the version a change is checked against); `onSaved(user)` after.
 */
function detailsForm(user, now, onSaved) {
  const form = h(
    "form",
    { class: "person-details", "aria-label": "Name and email" },
    field("Name", "name", { required: true, maxlength: 100, value: user.name }),
    field("Email", "email", { type: "email", required: true, maxlength: 254, value: user.email }),
    h("button", { type: "submit" }, "Save"),
    h("p", { class: "hint", role: "status" }),
  );
  bindForm(
    form,
    (values) => {
      const current = now();
      const body = {};
      if (values.name !== current.name) body.name = values.name;
      if (values.email !== current.email) body.email = values.email;
      if (!Object.keys(body).length) return current;
      return patch(`/users/${current.id}`, body, { ifMatch: current.version });
    },
    async (saved) => {
      form.elements.name.defaultValue = form.elements.name.value = saved.name;
      form.elements.email.defaultValue = form.elements.email.value = saved.email;
      form.querySelector("[role=status]").textContent = "Saved.";
      await onSaved(saved);
    },
  );
  return form;
}
