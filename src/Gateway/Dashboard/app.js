// Router and sign-in: #/ (overview), #/indexes, #/index/{name}. With auth on, asks for a token first.
import { get, setToken, token } from "./api.js";
import { h, errorBox } from "./ui.js";
import { overview } from "./overview.js";
import { indexes } from "./indexes.js";
import { detail } from "./detail.js";

const main = document.getElementById("main");
let session = null;     // { auth, access } once signed in
let stopPage = null;    // the current page's cleanup (timers)

export function canWrite() { return !session || session.access === "read-write"; }

async function signIn(message) {
  try {
    session = await get("/auth/whoami");
  } catch (e) {
    session = null;
    showLogin(e.status === 401 ? message : null, e.status === 401 ? null : e);
    return false;
  }
  document.body.classList.toggle("readonly", session.access === "read-only");
  const who = document.getElementById("who");
  who.replaceChildren(session.auth ? `token: ${session.access}` : "auth off",
    session.auth ? h("button", { id: "sign-out", onclick: () => { setToken(null); session = null; route(); } }, "Sign out") : "");
  return true;
}

function showLogin(message, error) {
  stop();
  const input = h("input", { id: "token", type: "password", autocomplete: "off", placeholder: "bearer token" });
  const form = h("form", { class: "login", id: "login", onsubmit: async (ev) => {
    ev.preventDefault();
    setToken(input.value.trim());
    if (await signIn("That token was not accepted (401): check it and try again.")) route();
  } },
  h("h1", {}, "Sign in"),
  h("p", { class: "muted" }, "This node needs a bearer token (Auth:Tokens or Auth:ReadOnlyTokens). It is kept for this browser tab only."),
  message ? h("div", { class: "error", role: "alert", id: "login-error" }, message) : "",
  error ? errorBox(error, "Reaching the server") : "",
  input, h("button", { class: "primary", type: "submit" }, "Sign in"));
  main.replaceChildren(form);
  input.focus();
}

function stop() {
  if (stopPage) { stopPage(); stopPage = null; }
}

async function route() {
  stop();
  if (!session && !(await signIn(token() ? "The saved token was not accepted (401): enter it again." : null))) return;
  const hash = location.hash || "#/";
  document.querySelectorAll("nav a").forEach((a) => a.classList.toggle("active",
    (a.dataset.nav === "overview" && hash === "#/") || (a.dataset.nav === "indexes" && hash.startsWith("#/index"))));
  const context = { main, canWrite, onStop: (f) => { stopPage = f; } };
  try {
    if (hash.startsWith("#/index/")) await detail(context, decodeURIComponent(hash.slice("#/index/".length)));
    else if (hash.startsWith("#/indexes")) await indexes(context);
    else await overview(context);
  } catch (e) {
    main.replaceChildren(errorBox(e, "Loading the page"));
  }
}

window.addEventListener("hashchange", route);
window.addEventListener("vectord:unauthorized", () => {
  if (session) { session = null; setToken(null); showLogin("The token is no longer accepted (401): sign in again."); }
});
route();
