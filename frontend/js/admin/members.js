// A team's members on its admin page: add someone found by name, change a role, move
// a member to another team (added there, then removed here), remove one (asking first).
import { del, patch, post } from "../api.js";
import { confirmAction, panel } from "../dialog.js";
import { h, replace } from "../dom.js";
import { actionButton, bindForm, field } from "../forms.js";
import { itemError, showItemError } from "../notices.js";
import { toast } from "../toast.js";
import { personPicker } from "./person_picker.js";

const ROLES = [
  ["rep", "Rep"],
  ["leader", "Leader"],
];

/** The members card; `onChanged(team)` runs with the team after each change. */
export function membersSection(team, teams, onChanged) {
  const problem = itemError();
  const rows = h("tbody", {});
  const table = h(
    "table",
    { class: "stack members" },
    h("caption", { class: "visually-hidden" }, "Members"),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ["Name", "Role", ""].map((t) => h("th", { scope: "col" }, t)),
      ),
    ),
    rows,
  );
  const empty = h("p", { class: "empty" }, "Nobody is in this team yet.");
  const picker = personPicker({
    label: "Person",
    skip: (u) => team.members.some((m) => m.user_id === u.id),
  });
  const form = h(
    "form",
    { class: "add-member", "aria-label": "Add a member" },
    picker.node,
    field("Role", "role", { control: "select", options: ROLES }),
    h("button", { type: "submit" }, "Add to team"),
  );
  bindForm(
    form,
    (values, key) => {
      picker.check();
      return post(
        `/teams/${team.id}/members`,
        { user_id: values.user_id, role: values.role },
        { key },
      );
    },
    (saved) => {
      picker.clear();
      onChanged(saved);
    },
  );
  const node = h(
    "section",
    { class: "card", "aria-labelledby": "members-title" },
    h("h2", { id: "members-title", tabindex: "-1" }, "Members"),
    problem,
    empty,
    table,
    h("h3", {}, "Add a member"),
    form,
  );

  const onError = (error) => showItemError(problem, error);
  const path = (member) => `/teams/${team.id}/members/${member.user_id}`;
  const after = (saved, said) => {
    problem.textContent = "";
    toast(said, "success");
    onChanged(saved);
  };

  async function remove(member) {
    const sure = await confirmAction({
      title: `Remove ${member.name} from ${team.name}?`,
      body: "They stop seeing the team's board, feed and commitments. Their history in it stays.",
      yes: "Remove",
    });
    if (!sure) return;
    after(await del(path(member)), `${member.name} left ${team.name}.`);
    node.querySelector("#members-title").focus();
  }

  function move(member) {
    const others = teams.filter((t) => t.id !== team.id && !t.archived);
    const moveForm = h(
      "form",
      { class: "move-member" },
      field("To team", "team_id", {
        control: "select",
        options: others.map((t) => [t.id, t.name]),
      }),
      field("Role there", "role", { control: "select", options: ROLES }),
      h("p", { class: "hint" }, `${member.name} joins the chosen team, then leaves ${team.name}.`),
      h("div", { class: "buttons" }, h("button", { type: "submit" }, "Move")),
    );
    moveForm.elements.role.value = member.role;
    const dialog = panel(
      `Move ${member.name}`,
      others.length ? moveForm : h("p", { class: "empty" }, "There is no other team to move to."),
    );
    bindForm(
      moveForm,
      async (values, key) => {
        await post(
          `/teams/${values.team_id}/members`,
          { user_id: member.user_id, role: values.role },
          { key },
        );
        return { saved: await del(path(member)), to: others.find((t) => t.id === values.team_id) };
      },
      ({ saved, to }) => {
        dialog.close();
        after(saved, `${member.name} moved to ${to.name}.`);
      },
    );
  }

  function memberRow(member) {
    const other = member.role === "leader" ? "rep" : "leader";
    return h(
      "tr",
      { dataset: { userId: member.user_id } },
      h(
        "td",
        { class: "name" },
        h("a", { href: `#/profile/${member.user_id}`, class: "item-title" }, member.name),
      ),
      h(
        "td",
        { dataset: { label: "Role" } },
        h("span", { class: `pill ${member.role}` }, member.role),
      ),
      h(
        "td",
        { class: "row-actions" },
        h(
          "div",
          { class: "buttons" },
          actionButton(
            other === "leader" ? "Make leader" : "Make rep",
            async () =>
              after(
                await patch(path(member), { role: other }),
                `${member.name} is now a ${other}.`,
              ),
            { onError, "aria-label": `Make ${member.name} a ${other}` },
          ),
          h(
            "button",
            {
              type: "button",
              onclick: () => move(member),
              "aria-label": `Move ${member.name} to another team`,
            },
            "Move…",
          ),
          actionButton("Remove", () => remove(member), {
            class: "danger",
            onError,
            "aria-label": `Remove ${member.name}`,
          }),
        ),
      ),
    );
  }

  function show(saved) {
    team = saved;
    replace(rows, team.members.map(memberRow));
    table.hidden = team.members.length === 0;
    empty.hidden = team.members.length > 0;
  }

  return { node, show };
}
