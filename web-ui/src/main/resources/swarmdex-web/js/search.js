// The search page: a query form whose state is the URL (/?q=&type=&min=&max=, one history
// entry a search), grouped results with direct, magnet and Metalink links, paging, live stats.
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

/** The page's own URL for the form as typed: `/?q=WORDS&type=T&min=TEXT&max=TEXT`. */
function pageUrl() {
  const state = new URLSearchParams({ q: form.q.value.trim() });
  if (form.type.value) state.set("type", form.type.value);
  if (form.min.value.trim()) state.set("min", form.min.value.trim());
  if (form.max.value.trim()) state.set("max", form.max.value.trim());
  return `${location.pathname}?${state}`;
}

/** Fills the form from the page's URL; whether it names a search to run. */
function fillFormFromUrl() {
  const state = new URLSearchParams(location.search);
  form.q.value = state.get("q") ?? "";
  const type = state.get("type") ?? "";
  form.type.value = [...form.type.options].some((o) => o.value === type) ? type : "";
  form.min.value = state.get("min") ?? "";
  form.max.value = state.get("max") ?? "";
  return form.q.value.trim() !== "";
}

function onSubmit(event) {
  event.preventDefault();
  const url = pageUrl();
  // Each search is a history entry (Back returns to the one before); the same search again is not.
  if (url !== `${location.pathname}${location.search}`) history.pushState(null, "", url);
  runSearch();
}

/** Back or Forward: show the search that URL names, or the empty form. */
function onHistory() {
  if (fillFormFromUrl()) {
    runSearch();
  } else {
    current = null;
    list.replaceChildren();
    summary.hidden = true;
    more.hidden = true;
    say(message, "");
  }
}

async function runSearch() {
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
  const asked = current;
  try {
    const page = await search(params, 0);
    if (current === asked) showPage(page); // a later search (Back, Forward) replaced this one
  } catch (error) {
    if (current !== asked) return;
    current = null;
    showError(error.message);
  } finally {
    if (current === asked || current === null) form.removeAttribute("aria-busy");
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
    downloadLinks(result),
    el("ul", { className: "sources", attrs: { "aria-label": `Sources of ${result.name}` } },
      sources.map((source) => sourceItem(source, result.name))),
    el("p", { className: "hash" }, el("span", { className: "visually-hidden" }, "SHA-256 "),
      result.sha256),
  );
}

/**
 * "Download": the best direct source's link (the API's first reachable source), the magnet link
 * (`magnet:?xt=urn:sha256:HEX&dn=NAME&xl=SIZE&xs=<this server>/api/v1/files/HEX.meta4`, which
 * `swarmdex-peer-agent get` takes) and the Metalink, with which aria2c fetches from every source
 * and checks each piece.
 */
function downloadLinks(result) {
  const metalink = `/api/v1/files/${result.sha256}.meta4`;
  const magnet =
    `magnet:?xt=urn:sha256:${result.sha256}&dn=${encodeURIComponent(result.name)}` +
    `&xl=${result.size}&xs=${encodeURIComponent(location.origin + metalink)}`;
  const direct = result.sources.find((s) => !s.firewalled && safeHttpUrl(s.url));
  const links = [];
  if (direct) {
    links.push(el("a", { className: "link-direct", href: safeHttpUrl(direct.url),
      attrs: { "aria-label": `Direct link to ${result.name}` } }, "Direct link"));
    links.push(el("a", { className: "link-metalink", href: metalink,
      download: `${result.name}.meta4`, type: "application/metalink4+xml",
      attrs: { "aria-label": `Metalink of ${result.name} (every source, for aria2c)` } },
    "Metalink"));
  }
  links.push(el("a", { className: "link-magnet", href: magnet,
    attrs: { "aria-label": `Magnet link of ${result.name}` } }, "Magnet link"));
  return el("p", { className: "result-links" },
    el("span", { className: "result-links-label" }, "Download:"), links);
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
window.addEventListener("popstate", onHistory);
refreshStats();
setInterval(refreshStats, STATS_EVERY_MS);
form.q.focus();
// A shared link (`/?q=...`) runs its search when opened.
if (fillFormFromUrl()) runSearch();
