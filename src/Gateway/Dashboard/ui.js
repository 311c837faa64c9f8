// Small DOM helpers: every text goes through textContent, never HTML.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function errorBox(e, what) {
  const status = e && e.status ? ` (${e.status})` : "";
  return h("div", { class: "error", role: "alert" }, `${what} failed${status}: ${e && e.message ? e.message : e}`);
}

export const fmt = (n) => (n === undefined || n === null) ? "—" : Number(n).toLocaleString("en-US");

export function bytes(n) {
  if (n === undefined || n === null) return "—";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export function pretty(value) {
  return value === undefined ? "" : JSON.stringify(value, null, 2);
}

// A table whose columns sort by clicking their header. columns: [{key, label, num?, value(row), render(row)}].
export function sortableTable(columns, rows, attrs) {
  let sortKey = null;
  let descending = false;
  const body = h("tbody");
  const heads = columns.map((c) => h("th", { class: `${c.sort === false ? "" : "sortable"} ${c.num ? "num" : ""}`, "data-key": c.key,
    onclick: c.sort === false ? undefined : () => { descending = sortKey === c.key ? !descending : false; sortKey = c.key; draw(); } }, c.label));
  function draw() {
    const col = columns.find((c) => c.key === sortKey);
    const sorted = col ? [...rows].sort((a, b) => compare(col.value(a), col.value(b)) * (descending ? -1 : 1)) : rows;
    heads.forEach((th, i) => th.setAttribute("aria-sort", columns[i].key === sortKey ? (descending ? "descending" : "ascending") : "none"));
    body.replaceChildren(...sorted.map((row) => h("tr", {}, columns.map((c) => h("td", { class: c.num ? "num" : "" }, c.render(row))))));
  }
  draw();
  return h("table", attrs || {}, h("thead", {}, h("tr", {}, heads)), body);
}

function compare(a, b) {
  if (a === b) return 0;
  if (a === undefined || a === null) return 1;
  if (b === undefined || b === null) return -1;
  return typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b));
}
