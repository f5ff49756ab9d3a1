// Building DOM nodes. User text only ever becomes a text node, never markup.

/** Create an element: h("a", {href: "#/", class: "nav"}, "text", childNode). */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key in node && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

/** Append children (nodes, strings, numbers or nested arrays) as nodes or text. */
export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replace a node's children. */
export function replace(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

const dateTime = new Intl.DateTimeFormat(undefined, {
  dateStyle: "medium",
  timeStyle: "short",
});
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

/** Format an ISO time for people, in the browser's time zone. */
export function formatTime(iso) {
  return iso ? dateTime.format(new Date(iso)) : "";
}

/** Format a YYYY-MM-DD date (read as a calendar day, not a UTC instant). */
export function formatDate(day) {
  if (!day) return "";
  const [year, month, date] = day.slice(0, 10).split("-").map(Number);
  return dateOnly.format(new Date(year, month - 1, date));
}

/** Format an ISO time's calendar day in the browser's time zone (not its UTC date). */
export function formatDay(iso) {
  return iso ? dateOnly.format(new Date(iso)) : "";
}

/** Say how long ago (or ahead) an ISO time is: "5 minutes ago", "in 2 days". */
export function ago(iso, now = Date.now()) {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  const steps = [
    [60, "second"],
    [60, "minute"],
    [24, "hour"],
    [7, "day"],
    [4.35, "week"],
    [12, "month"],
    [Infinity, "year"],
  ];
  let value = seconds;
  for (const [size, unit] of steps) {
    if (Math.abs(value) < size) return relative.format(Math.round(value), unit);
    value /= size;
  }
  return "";
}

/** A <time> element showing a moment, with the exact time on hover. */
export function timeNode(iso, text = ago(iso)) {
  return h("time", { datetime: iso, title: formatTime(iso) }, text);
}

/** A <time> element showing the exact time, for records and due dates. */
export function exactTime(iso) {
  return timeNode(iso, formatTime(iso));
}

/** Turn "deal_won" into "Deal won". */
export function humanize(key) {
  const words = String(key).replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Turn an event type such as "CommitmentKept" into "Commitment kept". */
export function eventName(type) {
  const words = String(type)
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Return a unique id for labels and error messages. */
let counter = 0;
export function uid(prefix = "f") {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** A card: a <section> titled by an h2 with `id`, then `body`: card("open-title", "Open", list). */
export function card(id, title, ...body) {
  return h("section", { class: "card", "aria-labelledby": id }, h("h2", { id }, title), body);
}
