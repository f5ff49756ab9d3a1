// Reading a page's data again over HTTP: soon after the pushes that concern it (a burst
// of pushes, one refetch), after a reconnection, and showing only the newest answer.
import { ApiError } from "./api.js";
import { onLive } from "./live.js";

const REFRESH_MS = 150;

/** Return `fn` delayed until `ms` after the last call; `.cancel()` drops a pending call. */
export function debounced(fn, ms = REFRESH_MS) {
  let timer = null;
  const call = () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
  call.cancel = () => clearTimeout(timer);
  return call;
}

/**
 * Call `load` (debounced) after each push that `wanted[event](push)` accepts, and on
 * "resync": pushes are at most once, so after a gap the page reads the truth again.
 * Return the cleanup: unsubscribe and cancel a pending call.
 */
export function refetchOn(wanted, load) {
  const soon = debounced(load);
  const stops = Object.entries(wanted).map(([event, accept]) =>
    onLive(event, (push) => accept(push) && soon()),
  );
  stops.push(onLive("resync", soon));
  return () => {
    soon.cancel();
    for (const stop of stops) stop();
  };
}

/** The pushes of `events` that concern team `teamId`, for refetchOn. */
export function teamPushes(teamId, events) {
  const concerns = (push) => push?.team_id === teamId;
  return Object.fromEntries(events.map((event) => [event, concerns]));
}

/**
 * Wrap `fetchAll` and `show(data)` into a `load()` that shows only the newest answer
 * and puts a refusal in `errorBox` (a loadError line), as "`failed`: message", instead
 * of leaving the page blank; the line is emptied by the next good answer. `load()`
 * resolves to the refusal (an ApiError) when the server refused, else to undefined.
 */
export function loader(fetchAll, show, errorBox, failed = "Could not load this page") {
  let turn = 0;
  return async function load() {
    const mine = ++turn;
    try {
      const data = await fetchAll();
      if (mine !== turn) return;
      errorBox.textContent = "";
      show(data);
    } catch (error) {
      if (mine !== turn) return;
      if (!(error instanceof ApiError)) throw error; // a bug, not a refusal
      errorBox.textContent = [failed, error.message].filter(Boolean).join(": ");
      return error;
    }
  };
}
