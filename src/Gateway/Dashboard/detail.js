// One index: its parameters, each copy of each shard (where it lives, its role, how far it has followed the shard's
// log), an item browser paged with `next`, metadata pretty-printed, "find similar" from any item, and item deletion.
// An index with text fields also gets a box for words: searched alone (BM25), or with "find similar" (hybrid). An
// index without vectors (dimension 0) has no "find similar"; one with named vectors a choice of the vector it uses.
import { get, post, enc } from "./api.js";
import { h, errorBox, fmt, pretty } from "./ui.js";

const PAGE = 50;

const REFRESH_MS = 2000;

export async function detail({ main, onStop }, name) {
  const base = `/vectors/index/${enc(name)}`;
  const info = h("div", { id: "index-info" }, h("p", { class: "muted" }, "Loading…"));
  const shards = h("div", { id: "index-shards" });
  const items = h("div", { id: "items" });
  const similar = h("div", { id: "similar" });
  const message = h("div", { id: "detail-message" });
  const words = h("form", { id: "text-search", hidden: true, onsubmit: (e) => { e.preventDefault(); searchWords(); } },
    h("label", { for: "text-query" }, "Words "),
    h("input", { id: "text-query", type: "search", placeholder: "words in the text fields", size: 40 }), " ",
    h("button", { id: "text-search-button", type: "submit" }, "Search words"),
    h("span", { class: "muted" }, " — with words here, “Find similar” is a hybrid search"));
  const vectorChoice = h("select", { id: "using", title: "The named vector “Find similar” searches by" });
  const usingRow = h("p", { id: "using-row", hidden: true }, h("label", { for: "using" }, "Find similar by "), vectorChoice);
  main.replaceChildren(h("h1", {}, `Index ${name}`), message, info, shards, words, usingRow, similar, h("h2", {}, "Items"), items);

  let index;
  try {
    index = await get(base);
  } catch (e) {
    info.replaceChildren(errorBox(e, `Reading index ${name}`));
    return;
  }
  const params = Object.entries(index.params).map(([k, v]) =>
    h("tr", {}, h("th", {}, k), h("td", {}, typeof v === "object" && v !== null ? JSON.stringify(v) : String(v))));
  words.hidden = !index.params.text_fields;
  const named = index.params.vectors ? Object.keys(index.params.vectors) : [];
  vectorChoice.replaceChildren(...named.map((v) => h("option", { value: v }, v)));
  usingRow.hidden = named.length === 0;
  const vectors = index.params.dimension > 0 || named.length > 0;
  if (!vectors) words.lastChild.hidden = true;   // no "find similar" to pair the words with
  info.replaceChildren(h("table", { id: "params" }, h("tbody", {}, params,
    h("tr", {}, h("th", {}, "length"), h("td", { id: "index-length" }, fmt(index.length))))));

  // The length and the copies follow writes made elsewhere (other users, the API) while the page is open.
  const showCopies = copyTable(base, shards);
  const refresh = setInterval(async () => {
    try {
      const now = await get(base);
      const cell = document.getElementById("index-length");
      if (cell) cell.textContent = fmt(now.length);
    } catch { /* shown on the next full load */ }
    showCopies();
  }, REFRESH_MS);
  onStop(() => clearInterval(refresh));
  showCopies();

  const pages = [];  // `after` values of the pages before the current one
  let after = null;

  let latest = 0;   // only the newest load renders: an older answer arriving late must not replace it
  async function load() {
    const mine = ++latest;
    let page;
    try {
      page = await get(`${base}/items?limit=${PAGE}${after === null ? "" : `&after=${enc(after)}`}`);
    } catch (e) {
      if (mine === latest) items.replaceChildren(errorBox(e, "Listing the items"));
      return;
    }
    if (mine !== latest) return;
    const rows = page.items.map((item) => h("tr", { "data-id": item.id },
      h("td", { class: "item-id" }, item.id),
      h("td", {}, item.metadata === undefined ? h("span", { class: "muted" }, "no metadata") : h("pre", { class: "metadata" }, pretty(item.metadata))),
      h("td", { class: "actions" }, vectors ? h("button", { class: "find-similar", onclick: () => findSimilar(item.id) }, "Find similar") : null, " ",
        h("button", { class: "danger write delete-item", onclick: () => remove(item.id) }, "Delete"))));
    items.replaceChildren(
      h("div", { class: "pager" },
        h("button", { id: "items-prev", disabled: pages.length === 0, onclick: () => { after = pages.pop(); load(); } }, "← Previous"),
        h("span", { class: "muted" }, page.items.length === 0 ? "no items" : `items ${fmt(pages.length * PAGE + 1)}–${fmt(pages.length * PAGE + page.items.length)}`),
        h("button", { id: "items-next", disabled: !page.next, onclick: () => { pages.push(after); after = page.next; load(); } }, "Next →")),
      h("table", { id: "item-table" }, h("thead", {}, h("tr", {}, h("th", {}, "Id"), h("th", {}, "Metadata"), h("th", { class: "actions" }, ""))), h("tbody", {}, rows)));
  }

  const query = () => (words.hidden ? "" : document.getElementById("text-query").value.trim());

  async function findSimilar(id) {
    const text = query();
    similar.replaceChildren(h("p", { class: "muted" }, `Searching near ${id}…`));
    try {
      const item = await get(`${base}/items/${enc(id)}`);
      const by = usingRow.hidden ? {} : { using: vectorChoice.value };
      const vector = usingRow.hidden ? item.vector : item.vectors[vectorChoice.value];
      const found = await post(`${base}/search`, text ? { vector, k: 10, text: { query: text }, ...by } : { vector, k: 10, ...by });
      showResults(text ? `Nearest to ${id} and matching “${text}”` : `Nearest to ${id}`, found.results, !!text);
    } catch (e) {
      similar.replaceChildren(errorBox(e, `Finding items similar to ${id}`));
    }
  }

  async function searchWords() {
    const text = query();
    if (!text) return;
    similar.replaceChildren(h("p", { class: "muted" }, `Searching for “${text}”…`));
    try {
      const found = await post(`${base}/search/text`, { query: text, k: 10 });
      showResults(`Best matches for “${text}”`, found.results, true);
    } catch (e) {
      similar.replaceChildren(errorBox(e, `Searching for “${text}”`));
    }
  }

  // Results as a table: the score when words were searched, the distance when the item was among the nearest.
  function showResults(title, results, scored) {
    const distance = (r) => h("td", { class: "num neighbour-distance" }, r.distance === undefined ? "" : r.distance.toFixed(6));
    similar.replaceChildren(h("h2", {}, title), h("table", { id: "neighbours" },
      h("thead", {}, h("tr", {}, h("th", {}, "Id"), scored ? h("th", { class: "num" }, "Score") : null,
        h("th", { class: "num" }, "Distance"), h("th", {}, "Metadata"))),
      h("tbody", {}, results.map((r) => h("tr", {}, h("td", { class: "neighbour-id" }, r.id),
        scored ? h("td", { class: "num neighbour-score" }, r.score.toFixed(4)) : null, distance(r),
        h("td", {}, r.metadata === undefined ? "" : h("pre", {}, pretty(r.metadata))))))));
    similar.scrollIntoView({ block: "nearest" });
  }

  async function remove(id) {
    if (!confirm(`Delete item "${id}"?`)) return;
    try {
      // By id in the body, never in the path, where an id such as ".." or "a/b" would name another resource.
      const answer = await post(`${base}/delete`, { ids: [id] });
      document.getElementById("index-length").textContent = fmt(answer.length);
      message.replaceChildren(h("p", { class: "notice" }, answer.deleted > 0 ? `Deleted ${id}.` : `${id} was already deleted.`));
    } catch (e) {
      message.replaceChildren(errorBox(e, `Deleting ${id}`));
    }
    await load();
  }

  await load();
}

// Shows, each time it is called, each copy of each shard, the primary first: the silo holding it, its role, the log
// position it has reached, how far it is behind its primary, and whether it serves reads yet (a copy loading or
// catching up does not).
function copyTable(base, into) {
  let latest = 0;   // only the newest answer renders
  return async function show() {
    const mine = ++latest;
    let placement;
    try {
      placement = await get(`${base}/shards`);
    } catch {
      return;   // a passing failure: the next refresh tries again
    }
    if (mine === latest) render(placement.shards);
  };

  function render(copies) {
    const num = (value) => h("td", { class: "num" }, fmt(value));
    into.replaceChildren(h("h2", {}, "Copies of each shard"), h("table", { id: "copy-table" },
      h("thead", {}, h("tr", {}, h("th", {}, "Shard"), h("th", { class: "num" }, "Replica"), h("th", {}, "Role"),
        h("th", { class: "num" }, "Length"), h("th", {}, "Silo"), h("th", { class: "num" }, "Log position"),
        h("th", { class: "num" }, "Lag"), h("th", {}, "Ready"))),
      h("tbody", {}, copies.map((c) => h("tr", { "data-shard": c.shard, "data-replica": c.replica },
        h("td", {}, c.shard), num(c.replica), h("td", { class: "copy-role" }, c.role), num(c.length),
        h("td", {}, c.silo ?? h("span", { class: "muted" }, "not active")), num(c.log_position), num(c.lag),
        h("td", { class: "copy-ready" }, c.ready ? "yes" : h("span", { class: "error" }, "catching up")))))));
  }
}
