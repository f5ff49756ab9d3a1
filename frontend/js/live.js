// The Socket.IO connection: one per page, reconnecting, with one handler list per event.
import { io } from "/vendor/socket.io.esm.min.js";

const EVENTS = ["leaderboard", "badge", "feed", "commitment", "at_risk"];
const RETRY_MS = 3000;
const STATUS_TEXT = { live: "Live", connecting: "Reconnecting…", offline: "Offline" };

const handlers = new Map();
let socket = null;
let wanted = false;
let everConnected = false;
let retryTimer = null;

/** Listen to a server event ("leaderboard", "feed"…) or to "resync"/"status"; return an unsubscribe. */
export function onLive(event, handler) {
  if (!handlers.has(event)) handlers.set(event, new Set());
  handlers.get(event).add(handler);
  return () => handlers.get(event).delete(handler);
}

/** Show the connection's state ("live", "connecting", "offline") in the #live-status badge. */
export function showLiveStatus(state) {
  const badge = document.getElementById("live-status");
  badge.dataset.state = state;
  badge.textContent = STATUS_TEXT[state] ?? state;
}

function dispatch(event, payload) {
  for (const handler of handlers.get(event) ?? []) {
    try {
      handler(payload);
    } catch (error) {
      console.error(`live ${event} handler failed`, error);
    }
  }
}

function retrySoon() {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(
    () => wanted && socket && !socket.connected && socket.connect(),
    RETRY_MS,
  );
}

/** Connect (by the session cookie, or with {token} for a team screen) and stay connected. */
export function connectLive(auth = undefined) {
  wanted = true;
  if (socket) {
    if (!socket.connected) socket.connect();
    return;
  }
  socket = io({ auth, reconnectionDelayMax: 5000 });
  socket.on("connect", () => {
    dispatch("status", "live");
    // Pushes are at most once: after any gap, pages read the truth over HTTP again.
    if (everConnected) dispatch("resync");
    everConnected = true;
  });
  socket.on("disconnect", (reason) => {
    dispatch("status", "offline");
    // The server closes sockets on purpose (team changes, another tab signing out,
    // the account deactivated); socket.io-client does not come back by itself then,
    // so we ask again, and the app checks the sign-in still holds.
    if (reason === "io server disconnect") {
      dispatch("closed");
      retrySoon();
    }
  });
  socket.on("connect_error", () => {
    dispatch("status", "offline");
    if (!socket.active) retrySoon();
  });
  socket.io.on("reconnect_attempt", () => dispatch("status", "connecting"));
  for (const event of EVENTS) socket.on(event, (payload) => dispatch(event, payload));
}

/** Close the connection for good (signing out). */
export function disconnectLive() {
  wanted = false;
  everConnected = false;
  clearTimeout(retryTimer);
  if (socket) socket.disconnect();
  socket = null;
  dispatch("status", "offline");
}
