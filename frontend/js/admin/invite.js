// Inviting a person: their account is made at once ("invited"), with a link, good for
// seven days and one use, where they set their password. Admins and team leaders use it.
import { post } from "../api.js";
import { copyField } from "../copy.js";
import { formatTime, h, replace } from "../dom.js";
import { bindForm, field } from "../forms.js";

const ROLES = [
  ["rep", "Rep"],
  ["leader", "Leader"],
];

/**
 * The invitation form and where its link shows. `teams` offers a choice of team (with
 * "No team"); `team` fixes one instead, and `repsOnly` the role. `onInvited(invitation,
 * values)` runs after each. Return {node, setTeams(teams)}.
 */
export function inviteForm({ teams = [], team = null, repsOnly = false, onInvited = () => {} }) {
  const reveal = h("div", { class: "invite-reveal", "aria-live": "polite" });
  const teamField = field("Team", "team_id", {
    control: "select",
    hint: "Optional: they join it in the role chosen.",
  });
  const form = h(
    "form",
    { class: "invite-form", "aria-label": "Invite a person" },
    h(
      "div",
      { class: "field-row" },
      field("Name", "name", { required: true, maxlength: 100, autocomplete: "off" }),
      field("Email", "email", {
        type: "email",
        required: true,
        maxlength: 254,
        autocomplete: "off",
      }),
    ),
    !team &&
      h(
        "div",
        { class: "field-row" },
        teamField,
        field("Role", "role", { control: "select", options: ROLES }),
      ),
    h("button", { type: "submit" }, repsOnly ? "Invite rep" : "Invite"),
  );

  function setTeams(list) {
    const select = teamField.querySelector("select");
    const kept = select.value;
    replace(
      select,
      h("option", { value: "" }, "No team"),
      list.filter((t) => !t.archived).map((t) => h("option", { value: t.id }, t.name)),
    );
    select.value = list.some((t) => t.id === kept) ? kept : "";
  }
  setTeams(teams);

  bindForm(
    form,
    (values, key) => {
      const body = { name: values.name, email: values.email };
      const teamId = team?.id ?? values.team_id;
      if (teamId) {
        body.team_id = teamId;
        body.role = repsOnly ? "rep" : (values.role ?? "rep");
      }
      return post("/invitations", body, { key });
    },
    async (invitation, values) => {
      showInvitation(reveal, invitation, values);
      await onInvited(invitation, values);
    },
  );
  return { node: h("div", { class: "invite" }, form, reveal), setTeams };
}

/** Show the new invitation's link to copy, and whether it was emailed too. */
function showInvitation(box, invitation, { name, email }) {
  const { node, input } = copyField("Invitation link", invitation.url, {
    copyLabel: "Copy link",
    done: `Copied: send it to ${name}.`,
  });
  const done = h("button", { type: "button", class: "secondary" }, "Done");
  done.addEventListener("click", () => box.replaceChildren());
  replace(
    box,
    h(
      "div",
      { class: "reveal invitation" },
      h(
        "p",
        {},
        h("strong", {}, `${name} is invited.`),
        ` The link works once, until ${formatTime(invitation.expires_at)}.`,
      ),
      h(
        "p",
        { class: "emailed" },
        invitation.emailed
          ? `It was also emailed to ${email}.`
          : `It was not emailed (no mail server is set up): send it to ${email} yourself.`,
      ),
      node,
      h("div", { class: "buttons" }, done),
    ),
  );
  input.focus();
  input.select();
}
