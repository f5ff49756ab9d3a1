// Mentoring: a mentor's mentees (log check-ins, tick off action items) and a mentee's
// mentors (acknowledge check-ins). Mentorship changes are not pushed: the page reads
// them again after each of your own commands and after a reconnection.
import { get } from "../api.js";
import { h, replace } from "../dom.js";
import { syncKeyed } from "../keyed_list.js";
import { mentorshipCard, redrawCard } from "../mentoring/mentorship_card.js";
import { Names } from "../names.js";
import { loadError } from "../notices.js";
import { loader, refetchOn } from "../refresh.js";

export default {
  title: "Mentoring",
  async render(main, ctx) {
    const me = ctx.user.id;
    const names = new Names(ctx.team?.members);
    const failed = loadError();
    const status = h("div", { class: "mentoring-status" });
    const menteeList = h("div", { class: "mentorships" });
    const mentorList = h("div", { class: "mentorships" });
    const menteeSection = h(
      "section",
      { "aria-labelledby": "mentees-title", hidden: true },
      h("h2", { id: "mentees-title" }, "Your mentees"),
      menteeList,
    );
    const mentorSection = h(
      "section",
      { "aria-labelledby": "mentors-title", hidden: true },
      h("h2", { id: "mentors-title" }, "Your mentors"),
      mentorList,
    );
    main.append(
      h("h1", {}, "Mentoring"),
      h(
        "p",
        { class: "lead" },
        "Check-ins and action items between mentors and mentees, across teams.",
      ),
      failed,
      status,
      menteeSection,
      mentorSection,
    );

    // The partner of an ended mentorship may no longer be visible.
    const partner = {
      mentor: (m) => names.of(m.mentee_id, "A former mentee"),
      mentee: (m) => names.of(m.mentor_id, "A former mentor"),
    };

    async function fetchAll() {
      const summaries = await get("/mentorships", { user_id: me });
      const full = await Promise.all(summaries.map((m) => get(`/mentorships/${m.id}`)));
      await names.learn(full.flatMap((m) => [m.mentor_id, m.mentee_id]).filter((id) => id !== me));
      return full.sort(activeFirst);
    }

    function showAll(full) {
      const asMentor = full.filter((m) => m.mentor_id === me);
      const asMentee = full.filter((m) => m.mentee_id === me);
      replace(status, full.length ? null : emptyState());
      menteeSection.hidden = !asMentor.length;
      mentorSection.hidden = !asMentee.length;
      show(menteeList, asMentor, "mentor");
      show(mentorList, asMentee, "mentee");
    }

    function show(list, mentorships, as) {
      syncKeyed(list, mentorships, {
        stamp: (m) => `${m.version}:${partner[as](m)}`,
        build: (m) => mentorshipCard(m, as, partner[as], refresh),
        update: redrawCard,
      });
    }

    const refresh = loader(fetchAll, showAll, failed, "Could not load this");
    const stop = refetchOn({}, refresh);
    await refresh();
    return stop;
  },
};

function activeFirst(a, b) {
  if (a.status !== b.status) return a.status === "active" ? -1 : 1;
  return a.created_at < b.created_at ? -1 : 1;
}

function emptyState() {
  return h(
    "div",
    { class: "card" },
    h("p", { class: "empty" }, "You have no mentorships yet."),
    h(
      "p",
      {},
      "A team leader or an admin pairs a mentor with a mentee. Once you are paired, your check-ins and action items show here.",
    ),
  );
}
