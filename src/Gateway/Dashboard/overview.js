// Overview: the silos, the cluster's totals, live search rate, p99 latency and ingest rate (polled every 2 s).
import { get } from "./api.js";
import { h, errorBox, fmt, bytes, sortableTable } from "./ui.js";

const POLL_MS = 2000;

export async function overview({ main, onStop }) {
  const cards = h("div", { class: "cards", id: "totals" });
  const silos = h("div", { id: "silos" });
  const problem = h("div", { id: "overview-error" });
  main.replaceChildren(h("h1", {}, "Overview"), problem, cards, h("h2", {}, "Silos"), silos);
  let previous = null;
  let timer = null;
  let stopped = false;
  async function tick() {
    try {
      const view = await get("/cluster/silos");
      const now = performance.now();
      const rates = previous ? liveRates(previous, { view, at: now }) : null;
      previous = { view, at: now };
      problem.replaceChildren();
      cards.replaceChildren(
        card("Silos", fmt(view.silos.filter((s) => s.status === "active").length), "silo-count"),
        card("Indexes", fmt(view.indexes), "index-count"),
        card("Vectors", fmt(view.vectors), "vector-count"),
        card("Searches / s", rates ? rates.searchRate.toFixed(1) : "…", "search-rate"),
        card("Search p99", rates ? rates.p99 : "…", "search-p99"),
        card("Ingest items / s", rates ? rates.ingestRate.toFixed(1) : "…", "ingest-rate"));
      silos.replaceChildren(sortableTable([
        { key: "address", label: "Address", value: (s) => s.address, render: (s) => s.address },
        { key: "status", label: "Status", value: (s) => s.status, render: (s) => h("span", { class: `status-${s.status}` }, s.status) },
        { key: "parts", label: "Index parts", num: true, value: (s) => s.parts, render: (s) => fmt(s.parts) },
        { key: "vectors", label: "Vectors", num: true, value: (s) => s.vectors, render: (s) => fmt(s.vectors) },
        { key: "index_bytes", label: "Index memory", num: true, value: (s) => s.index_bytes, render: (s) => bytes(s.index_bytes) },
        { key: "memory", label: "Process memory", num: true, value: (s) => s.memory_bytes, render: (s) => bytes(s.memory_bytes) },
        { key: "error", label: "Problem", value: (s) => s.error, render: (s) => s.error ? h("span", { class: "error" }, s.error) : "" },
      ], view.silos, { id: "silo-table" }));
    } catch (e) {
      problem.replaceChildren(errorBox(e, "Reading the cluster"));
    }
    if (!stopped) timer = setTimeout(tick, POLL_MS);
  }
  onStop(() => { stopped = true; clearTimeout(timer); });
  await tick();
}

function card(label, value, id) {
  return h("div", { class: "card" }, h("div", { class: "label" }, label), h("div", { class: "value", id }, value));
}

// Rates between two readings of the silos' cumulative counters, silo by silo (a restarted silo starts again from 0).
export function liveRates(before, after) {
  const seconds = Math.max((after.at - before.at) / 1000, 0.001);
  const bounds = after.view.search_latency_bounds;
  const old = new Map(before.view.silos.map((s) => [s.address, s]));
  const buckets = new Array(bounds.length + 1).fill(0);
  let items = 0;
  for (const silo of after.view.silos) {
    const prior = old.get(silo.address);
    const restarted = !prior || prior.items_added > silo.items_added;
    items += silo.items_added - (restarted ? 0 : prior.items_added);
    silo.search_latency_counts.forEach((count, i) => {
      const was = prior && !restarted ? (prior.search_latency_counts[i] || 0) : 0;
      buckets[i] += Math.max(count - was, 0);
    });
  }
  const searches = buckets.reduce((a, b) => a + b, 0);
  return { searchRate: searches / seconds, ingestRate: items / seconds, p99: percentile(buckets, bounds, 0.99, searches) };
}

function percentile(buckets, bounds, q, total) {
  if (total === 0) return "no searches";
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    seen += buckets[i];
    if (seen >= q * total) return i < bounds.length ? `≤ ${ms(bounds[i])}` : `> ${ms(bounds[bounds.length - 1])}`;
  }
  return "—";
}

const ms = (seconds) => seconds < 1 ? `${+(seconds * 1000).toFixed(1)} ms` : `${seconds} s`;
