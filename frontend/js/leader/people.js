// The leader's "People" card: the team's members; invite a rep (a new account with a
// link), add someone who has an account as a rep, remove a rep (asking first).
import { ApiError, del, get, post } from "../api.js";
import { personPicker } from "../admin/person_picker.js";
import { inviteForm } from "../admin/invite.js";
import { confirmAction } from "../dialog.js";
import { h, replace } from "../dom.js";
import { actionButton, bindForm } from "../forms.js";
import { itemError, showItemError } from "../notices.js";
import { toast } from "../toast.js";

/** The card; `onChanged(team)` runs with the team after each change of its members. */
export function peopleSection(team, onChanged) {
  const problem = itemError();
  const list = h("ul", { class: "plain team-people", "aria-labelledby": "people-title" });
  const invite = inviteForm({ team, repsOnly: true, onInvited: () => reload() });
  const picker = personPicker({
    label: "Person",
    skip: (u) => team.members.some((m) => m.user_id === u.id),
    hint: "Someone with an account, from your other teams.",
  });
  const addForm = h(
    "form",
    { class: "add-member", "aria-label": "Add a person as rep" },
    picker.node,
    h("button", { type: "submit" }, "Add as rep"),
  );
  bindForm(
    addForm,
    (values, key) => {
      picker.check();
      return post(`/teams/${team.id}/members`, { user_id: values.user_id, role: "rep" }, { key });
    },
    (saved) => {
      picker.clear();
      show(saved);
    },
  );
  const node = h(
    "section",
    { class: "card", "aria-labelledby": "people-title" },
    h("h2", { id: "people-title", tabindex: "-1" }, "People"),
    problem,
    list,
    h("details", { class: "grow" }, h("summary", {}, "Invite a new rep"), invite.node),
    h("details", { class: "grow" }, h("summary", {}, "Add someone who has an account"), addForm),
  );

  async function remove(member) {
    const sure = await confirmAction({
      title: `Remove ${member.name} from ${team.name}?`,
      body: "They stop seeing the team's board, feed and commitments. Their history in it stays.",
      yes: "Remove",
    });
    if (!sure) return;
    show(await del(`/teams/${team.id}/members/${member.user_id}`));
    toast(`${member.name} left ${team.name}.`, "success");
    node.querySelector("#people-title").focus();
  }

  function memberItem(member) {
    return h(
      "li",
      { class: "item team-member", dataset: { userId: member.user_id } },
      h(
        "div",
        { class: "item-head" },
        h(
          "span",
          {},
          h("a", { href: `#/profile/${member.user_id}`, class: "item-title" }, member.name),
          " ",
          h("span", { class: `pill ${member.role}` }, member.role),
        ),
        member.role === "rep" &&
          actionButton("Remove", () => remove(member), {
            class: "danger",
            "aria-label": `Remove ${member.name}`,
            onError: (error) => showItemError(problem, error),
          }),
      ),
    );
  }

  function show(saved) {
    team = { ...team, ...saved };
    problem.textContent = "";
    replace(list, team.members.map(memberItem));
    onChanged(team);
  }

  const reload = async () => show(await get(`/teams/${team.id}`));
  /** Read the members again (after a reconnection); a refusal shows in the card. */
  async function refresh() {
    try {
      await reload();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      problem.textContent = `Could not load the team's people: ${error.message}`;
    }
  }
  show(team);
  return { node, refresh };
}
