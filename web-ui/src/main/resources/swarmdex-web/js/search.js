// The search page: a query form, grouped results with download links, paging, live stats.
import { api, el, say, formatBytes, parseSize, plural, safeHttpUrl } from "./api.js";

const PAGE_SIZE = 20;
const STATS_EVERY_MS = 15000;

const form = document.getElementById("search");
const message = document.getElementById("message");
const summary = document.getElementById("summary");
const list = document.getElementById("results");
const more = document.getElementById("more");
const stats = document.getElementById("stats");

/** The query being shown: its URL parameters and how many results are on the page. */
let current = null;

function readForm() {
  const q = form.q.value.trim();
  if (q === "") throw new RangeError("Type a word or two to search for.");
  const params = new URLSearchParams({ q });
  if (form.type.value) params.set("type", form.type.value);
  const sizes = [
    ["minSize", form.min, "Min size"],
    ["maxSize", form.max, "Max size"],
  ];
  for (const [name, input, label] of sizes) {
    let bytes;
    try {
      bytes = parseSize(input.value);
    } catch (error) {
      input.setAttribute("aria-invalid", "true");
      throw new RangeError(`${label}: ${error.message}`);
    }
    input.removeAttribute("aria-invalid");
    if (bytes !== null) params.set(name, String(bytes));
  }
  return params;
}

async function search(params, offset) {
  const query = new URLSearchParams(params);
  query.set("limit", String(PAGE_SIZE));
  query.set("offset", String(offset));
  return api(`/api/v1/search?${query}`);
}

async function onSubmit(event) {
  event.preventDefault();
  let params;
  try {
    params = readForm();
  } catch (error) {
    showError(error.message);
    return;
  }
  current = { params, shown: 0, total: 0 };
  list.replaceChildren();
  more.hidden = true;
  summary.hidden = true;
  say(message, "Searching…");
  form.setAttribute("aria-busy", "true");
  try {
    showPage(await search(params, 0));
  } catch (error) {
    current = null;
    showError(error.message);
  } finally {
    form.removeAttribute("aria-busy");
  }
}

async function onMore() {
  if (!current) return;
  more.disabled = true;
  more.textContent = "Loading…";
  try {
    const firstNew = list.children.length;
    showPage(await search(current.params, current.shown));
    list.children[firstNew]?.querySelector("h3")?.focus();
  } catch (error) {
    say(message, error.message, "error");
  } finally {
    more.disabled = false;
    more.textContent = "More results";
  }
}

function showError(text) {
  list.replaceChildren();
  summary.hidden = true;
  more.hidden = true;
  say(message, text, "error");
}

function showPage(page) {
  current.shown += page.results.length;
  current.total = Math.max(page.total, current.shown);
  list.append(...page.results.map(resultItem));
  if (current.shown === 0) {
    say(message, "No files match. Try fewer or shorter words, or loosen the filters.", "info");
    summary.hidden = true;
  } else {
    say(message, "");
    summary.textContent = `Showing ${current.shown} of ${plural(current.total, "file")}`;
    summary.hidden = false;
  }
  more.hidden = page.results.length === 0 || current.shown >= current.total;
}

/**
 * One content (one sha256) with every source that shares it. Results and sources come in the
 * API's order (the server's one ranking rule: reachable sources first, then by level) and are
 * never sorted again here.
 */
function resultItem(result) {
  const sources = result.sources;
  const meta = [
    el("span", { className: "tag" }, result.type),
    el("span", {}, formatBytes(result.size)),
    el("span", { className: "source-count" }, sourceCount(sources.length, result.networks)),
  ];
  const best = bestReputation(sources);
  if (best) meta.push(el("span", {}, `Reputation ${best}`));
  return el(
    "li",
    { className: "result", dataset: { sha256: result.sha256 } },
    el("h3", { className: "result-name", tabIndex: -1 }, result.name),
    el("p", { className: "result-meta" }, meta),
    el("ul", { className: "sources", attrs: { "aria-label": `Sources of ${result.name}` } },
      sources.map((source) => sourceItem(source, result.name))),
    el("p", { className: "hash" }, el("span", { className: "visually-hidden" }, "SHA-256 "),
      result.sha256),
  );
}

/**
 * "1 source", "3 sources on 2 networks": results are ranked by networks (a /24 or /64), since one
 * address can run many peers.
 */
function sourceCount(sources, networks) {
  const count = plural(sources, "source");
  if (sources < 2 || typeof networks !== "number") return count;
  return `${count} on ${plural(networks, "network")}`;
}

/** The best reputation among the sources; null (or 0, not shown) when none has earned one. */
function bestReputation(sources) {
  const known = sources.map((s) => s.reputation).filter((r) => typeof r === "number");
  return known.length ? Math.max(...known) : null;
}

function sourceItem(source, name) {
  const where = `${source.ip}:${source.port}`;
  const url = safeHttpUrl(source.url);
  if (source.firewalled || !url) {
    return el(
      "li",
      { className: "source source-firewalled" },
      el("span", { className: "source-addr" }, where),
      el("span", { className: "badge" }, "firewalled"),
      el("span", { className: "source-note" }, "can't be downloaded from directly"),
    );
  }
  return el(
    "li",
    { className: "source" },
    el("a", { className: "download", href: url,
      attrs: { "aria-label": `Download ${name} from ${where}` } }, "Download"),
    el("span", { className: "source-addr" }, `from ${where}`),
  );
}

async function refreshStats() {
  try {
    const s = await api("/api/v1/stats");
    stats.textContent =
      `${plural(s.peers, "peer")} online · ${plural(s.files, "file")} · ${formatBytes(s.bytes)} shared`;
    stats.classList.remove("stats-offline");
  } catch (error) {
    stats.textContent = error.status === 0 ? "Server unreachable" : "Stats unavailable";
    stats.classList.add("stats-offline");
  }
}

form.addEventListener("submit", onSubmit);
more.addEventListener("click", onMore);
refreshStats();
setInterval(refreshStats, STATS_EVERY_MS);
form.q.focus();
