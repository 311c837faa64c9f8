// Indexes: one server-side page at a time (100 names, in name order, optionally filtered), sortable within the
// page; a form to create an index (shards, replicas); drop with a confirmation.
import { get, post, del, enc } from "./api.js";
import { h, errorBox, fmt, sortableTable } from "./ui.js";

const PAGE = 100;

export async function indexes({ main }) {
  const state = { after: null, previous: [], q: "" };
  const list = h("div", { id: "index-list" });
  const message = h("div", { id: "indexes-message" });
  const filter = h("input", { id: "index-filter", type: "search", placeholder: "filter by name" });
  filter.addEventListener("change", () => { state.q = filter.value.trim(); state.after = null; state.previous = []; load(); });

  let latest = 0;   // only the newest load renders: an older answer arriving late must not replace it
  async function load() {
    const mine = ++latest;
    list.replaceChildren(h("p", { class: "muted" }, "Loading…"));
    let page;
    try {
      const q = state.q ? `&q=${enc(state.q)}` : "";
      page = await get(`/cluster/indexes?limit=${PAGE}${state.after === null ? "" : `&after=${enc(state.after)}`}${q}`);
    } catch (e) {
      if (mine === latest) list.replaceChildren(errorBox(e, "Listing the indexes"));
      return;
    }
    if (mine !== latest) return;
    const first = state.previous.length * PAGE;
    const table = sortableTable([
      { key: "name", label: "Name", value: (r) => r.name, render: (r) => h("a", { href: `#/index/${enc(r.name)}` }, r.name) },
      { key: "dimension", label: "Dimension", num: true, value: (r) => r.params?.dimension, render: (r) => fmt(r.params?.dimension) },
      { key: "distance", label: "Distance", value: (r) => r.params?.distance, render: (r) => r.params?.distance ?? "—" },
      { key: "shards", label: "Shards", num: true, value: (r) => r.params?.shards ?? 1, render: (r) => r.params ? fmt(r.params.shards ?? 1) : "—" },
      { key: "length", label: "Length", num: true, value: (r) => r.length, render: (r) => fmt(r.length) },
      { key: "silos", label: "Where it lives", value: (r) => r.silos.join(" "), render: (r) => r.silos.length ? r.silos.join(", ") : h("span", { class: "muted" }, "not loaded") },
      { key: "error", label: "Problem", value: (r) => r.error, render: (r) => r.error ? h("span", { class: "error index-error" }, r.error) : "" },
      { key: "actions", label: "", sort: false, value: () => 0, render: (r) => h("button", { class: "danger write", "data-drop": r.name, onclick: () => drop(r.name) }, "Drop") },
    ], page.indexes, { id: "index-table" });
    const pager = h("div", { class: "pager" },
      h("button", { id: "prev-page", disabled: state.previous.length === 0, onclick: () => { state.after = state.previous.pop(); load(); } }, "← Previous"),
      h("span", { id: "index-range" }, page.count === 0 ? "no indexes" : `${fmt(first + 1)}–${fmt(first + page.indexes.length)} of ${fmt(page.count)}`),
      h("button", { id: "next-page", disabled: !page.next, onclick: () => { state.previous.push(state.after); state.after = page.next; load(); } }, "Next →"));
    list.replaceChildren(pager, table);
  }

  async function drop(name) {
    if (!confirm(`Drop index "${name}" and delete all of its data? This cannot be undone.`)) return;
    try {
      await del(`/vectors/index/${enc(name)}`);
      message.replaceChildren(h("p", { class: "notice" }, `Dropped ${name}.`));
    } catch (e) {
      message.replaceChildren(errorBox(e, `Dropping ${name}`));
    }
    await load();
  }

  main.replaceChildren(h("h1", {}, "Indexes"), createForm(message, load), message,
    h("div", { class: "toolbar" }, filter), list);
  await load();
}

function createForm(message, reload) {
  const field = (label, input) => h("label", {}, label, input);
  const name = h("input", { name: "name", required: true, placeholder: "name", pattern: "[A-Za-z0-9][A-Za-z0-9._-]{0,127}" });
  const dimension = h("input", { name: "dimension", type: "number", min: 1, max: 65536, required: true, value: 3 });
  const distance = h("select", { name: "distance" }, ["cosine", "euclidean", "dot"].map((d) => h("option", { value: d }, d)));
  // Items with metadata only: "vectors": {} in place of a dimension.
  const noVectors = h("input", { name: "no_vectors", type: "checkbox",
    onchange: () => { dimension.disabled = distance.disabled = noVectors.checked; } });
  const m = h("input", { name: "m", type: "number", min: 0, max: 128, placeholder: "16" });
  const ef = h("input", { name: "ef_search", type: "number", min: 0, max: 10000, placeholder: "default" });
  const shards = h("input", { name: "shards", type: "number", min: 0, max: 64, placeholder: "1" });
  const replicas = h("input", { name: "replicas", type: "number", min: 0, max: 8, placeholder: "1",
    title: "Copies of each shard, each on another silo (at most the cluster's silo count)" });
  return h("form", { class: "inline write", id: "create-index", onsubmit: async (ev) => {
    ev.preventDefault();
    const body = noVectors.checked ? { name: name.value.trim(), vectors: {} }
      : { name: name.value.trim(), dimension: Number(dimension.value), distance: distance.value };
    if (m.value) body.m = Number(m.value);
    if (ef.value) body.ef_search = Number(ef.value);
    if (shards.value && Number(shards.value) > 1) body.shards = Number(shards.value);
    if (replicas.value && Number(replicas.value) !== 0) body.replicas = Number(replicas.value);
    try {
      const created = await post("/vectors/index", body);
      const unsharded = body.shards > 1 && created?.params?.shards === undefined;
      message.replaceChildren(h("p", { class: "notice" }, `Created ${body.name}.`,
        unsharded ? " This server does not shard indexes: it is one part." : ""));
      name.value = "";
      await reload();
    } catch (e) {
      message.replaceChildren(errorBox(e, `Creating ${body.name}`));
    }
  } },
  field("Name", name), field("Dimension", dimension), field("No vectors", noVectors), field("Distance", distance), field("m", m), field("ef_search", ef),
  field("Shards", shards), field("Replicas", replicas), h("button", { class: "primary", type: "submit" }, "Create index"));
}
