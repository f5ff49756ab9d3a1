// The JSON API under /api/v1: CSRF on unsafe requests, the uniform error body.

const BASE = "/api/v1";
let csrfToken = null;

/** An API refusal: status, machine code, message and per-field messages. */
export class ApiError extends Error {
  constructor(status, code, message, fields = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

/** Remember the CSRF token that sign-in and GET /me hand out. */
export function setCsrfToken(token) {
  csrfToken = token;
}

/** Return a fresh key for Idempotency-Key (works on plain-HTTP LAN addresses too). */
export function newRequestKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Build a query string, leaving out empty values. */
export function query(params = {}) {
  const kept = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== "");
  return kept.length ? `?${new URLSearchParams(kept)}` : "";
}

/** Call the API; resolve with the JSON body (null when empty), reject with ApiError. */
export async function request(method, path, body, options) {
  return (await exchange(method, path, body, options)).data;
}

/**
 * Call the API; resolve with {data, headers}: for lists whose paging is in the headers
 * (X-Total-Count, Link). A string body with `type` (text/csv) is sent as it is.
 */
export async function exchange(method, path, body, { key, ifMatch, token, type } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = type ?? "application/json";
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  if (key) headers["Idempotency-Key"] = key;
  if (ifMatch !== undefined) headers["If-Match"] = String(ifMatch);
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(BASE + path, {
      method,
      headers,
      body: body === undefined || type ? body : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "offline", "Cannot reach Wolfpack. Check your connection and try again.");
  }
  const data = await readJson(response);
  if (response.ok) return { data, headers: response.headers };
  const error = data?.error ?? {};
  if (response.status === 401 && !token) {
    window.dispatchEvent(new CustomEvent("wolfpack:signed-out"));
  }
  throw new ApiError(
    response.status,
    error.code ?? "error",
    error.message ?? `The server answered ${response.status}.`,
    error.fields ?? {},
  );
}

/** Parse a response's JSON body (null when empty); a proxy's HTML page is no answer. */
async function readJson(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    if (!response.ok) return null; // the status alone explains it
    throw new ApiError(response.status, "bad_response", "The server's answer could not be read.");
  }
}

/** GET a path with query parameters. */
export function get(path, params, options) {
  return request("GET", path + query(params), undefined, options);
}

/** POST a JSON body (a command); pass {key} to make retries safe. */
export function post(path, body = {}, options) {
  return request("POST", path, body, options);
}

/** PATCH a JSON body: change only the fields sent. */
export function patch(path, body, options) {
  return request("PATCH", path, body, options);
}

/** PUT a JSON body. */
export function put(path, body, options) {
  return request("PUT", path, body, options);
}

/** DELETE a resource. */
export function del(path, options) {
  return request("DELETE", path, undefined, options);
}
