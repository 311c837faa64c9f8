// The dashboard's only way to the server: the public HTTP API with the session's bearer token.
const TOKEN_KEY = "vectord.token";
const TIMEOUT_MS = 15000;

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

export function token() { return sessionStorage.getItem(TOKEN_KEY); }

export function setToken(value) {
  if (value) {
    sessionStorage.setItem(TOKEN_KEY, value);
    // The co-hosted Orleans dashboard (/orleans/) cannot send a header from its own pages: it gets a cookie.
    document.cookie = `vectord_token=${encodeURIComponent(value)}; path=/orleans; SameSite=Strict`;
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
    document.cookie = "vectord_token=; path=/orleans; max-age=0; SameSite=Strict";
  }
}

// Sends a request; answers the parsed JSON body (null for 204) or throws an ApiError with the server's detail.
export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: abort.signal });
  } catch (e) {
    throw new ApiError(0, abort.signal.aborted ? `no answer from the server within ${TIMEOUT_MS / 1000} s` : `the server cannot be reached (${e.message})`);
  } finally {
    clearTimeout(timer);
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (!response.ok) {
    const detail = json && (json.detail || json.title) || text || response.statusText;
    if (response.status === 401) window.dispatchEvent(new CustomEvent("vectord:unauthorized", { detail }));
    throw new ApiError(response.status, detail);
  }
  return json;
}

export const get = (path) => api("GET", path);
export const post = (path, body) => api("POST", path, body);
export const del = (path) => api("DELETE", path);
export const enc = encodeURIComponent;
